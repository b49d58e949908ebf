// A small versioned site written for bookctl's tests (not a real project): the tool "tiller",
// released as 1.0 and 2.0, with docs/ as the unreleased "Next".
module.exports = {
  title: 'Tiller',
  url: 'https://tiller.example',
  baseUrl: '/',
  presets: [['classic', {docs: {sidebarPath: './sidebars.js'}}]],
};

// Written for bookctl's tests (not a real project): predefined tags (tags.yml, Docusaurus 3.4+) in the
// default instance, with a version that has its own file, and a second instance naming another file.
module.exports = {
  baseUrl: '/',
  presets: [['classic', {docs: {}}]],
  plugins: [['@docusaurus/plugin-content-docs', {id: 'community', path: 'community', routeBasePath: 'community', tags: 'topics.yaml'}]],
};

// A small translated site written for bookctl's tests (not a real project): the tool "tiller" in
// English, Japanese and Simplified Chinese (intro.md has no translation: Docusaurus falls back to it).
module.exports = {
  title: 'Tiller',
  url: 'https://tiller.example',
  baseUrl: '/',
  i18n: {defaultLocale: 'en', locales: ['en', 'ja', 'zh-Hans']},
  presets: [['classic', {docs: {sidebarPath: './sidebars.js'}}]],
};

// The book's website. The book itself stays at the repository root (../content + ../sidebars.js), so
// `bookctl ingest` (the root) and `bookctl ingest web` (this config) read the same docs.
import type {Config} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import type {PluginOptions as BookctlOptions} from 'docusaurus-plugin-bookctl';
import {themes as prismThemes} from 'prism-react-renderer';

// Where the site and the assistant live. `make site` / `make serve` set them; the defaults are a
// local run (`make serve`).
const siteUrl = process.env.BOOKCTL_SITE_URL ?? 'http://127.0.0.1:3000';
const serverUrl = process.env.BOOKCTL_SERVER_URL ?? 'http://127.0.0.1:8765';
const withoutAssistant = process.env.BOOKCTL_ASSISTANT === 'off';

const config: Config = {
  title: 'Physical AI & Humanoid Robotics',
  tagline: 'A 13-week course on AI that perceives, reasons about and acts in the physical world',
  favicon: 'img/favicon.svg',
  url: siteUrl,
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {hooks: {onBrokenMarkdownLinks: 'throw'}},

  i18n: {
    defaultLocale: 'en',
    locales: ['en', 'fr'],
    localeConfigs: {
      en: {label: 'English', htmlLang: 'en'},
      fr: {label: 'Français', htmlLang: 'fr'},
    },
  },

  presets: [
    [
      'classic',
      {
        docs: {
          path: '../content',
          sidebarPath: '../sidebars.js',
          routeBasePath: 'docs',
        },
        blog: false,
        theme: {customCss: './src/css/custom.css'},
      } satisfies Preset.Options,
    ],
  ],

  // BOOKCTL_ASSISTANT=off builds the site without the assistant (the benchmark's baseline page weight).
  plugins: withoutAssistant ? [] : [
    [
      'docusaurus-plugin-bookctl',
      {
        serverUrl,
        // A ChatKit domain key (from the OpenAI dashboard) turns on the ChatKit UI; without one the
        // assistant opens its fallback panel, which speaks the same protocol to the same server.
        domainKey: process.env.BOOKCTL_CHATKIT_DOMAIN_KEY ?? '',
        // Signed-in readers: bookctl's accounts service (services/auth, `make serve` starts it on :3001),
        // or any URL answering {"token": "<JWT>"}. Neither: anonymous readers only.
        auth: {
          serviceUrl: process.env.BOOKCTL_AUTH_URL || undefined,
          tokenUrl: process.env.BOOKCTL_AUTH_TOKEN_URL || undefined,
        },
      } satisfies BookctlOptions,
    ],
  ],

  themeConfig: {
    navbar: {
      title: 'Physical AI & Humanoid Robotics',
      logo: {alt: 'Book logo', src: 'img/logo.svg'},
      items: [
        {type: 'docSidebar', sidebarId: 'bookSidebar', position: 'left', label: 'Book'},
        {type: 'localeDropdown', position: 'right'},
        // the reader's account menu is the plugin's navbar item: not there without the plugin
        ...(withoutAssistant ? [] : [{type: 'custom-bookctlAccount', position: 'right'}]),
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Book',
          items: [
            {label: 'Welcome', to: '/docs/'},
            {label: 'Module 1: ROS 2', to: '/docs/ros2/'},
            {label: 'Capstone project', to: '/docs/vla/capstone-project'},
          ],
        },
        {
          title: 'Course',
          items: [
            {label: 'Weekly plan', to: '/docs/course/weekly-plan'},
            {label: 'Assessments', to: '/docs/course/assessments'},
            {label: 'Glossary', to: '/docs/course/glossary'},
          ],
        },
      ],
      copyright: `Physical AI & Humanoid Robotics. Built with Docusaurus; answers by bookctl.`,
    },
    prism: {theme: prismThemes.github, darkTheme: prismThemes.dracula, additionalLanguages: ['bash', 'python', 'yaml']},
  } satisfies Preset.ThemeConfig,
};

export default config;

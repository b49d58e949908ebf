// The converter @docusaurus/remark-plugin-npm2yarn calls: npmToYarn(npmCode, 'yarn' | 'pnpm' | 'bun').
var convert = require("npm-to-yarn");
globalThis.__npm_to_yarn = convert.default || convert;

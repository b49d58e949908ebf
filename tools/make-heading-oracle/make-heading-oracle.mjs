#!/usr/bin/env node
// make-heading-oracle: the headings (text, level, anchor) of every .md/.mdx file under the given
// folders, and where each file renders an imported Markdown partial, computed by Docusaurus's own
// MDX pipeline (@docusaurus/mdx-loader: its preprocessor, then the remark processor with the
// headings plugin), with the default `markdown` config of Docusaurus 3 (format "mdx", mdx1Compat on,
// anchors.maintainCase false, or true with --maintain-case). Nothing is bundled: a last remark
// plugin reads the tree.
//
// Usage: npm ci && node make-heading-oracle.mjs --root SITE_DIR --out headings.json [--maintain-case] DIR [DIR...]
//   DIRs are relative to SITE_DIR; file keys in the output are relative to SITE_DIR.
// Output: {"generator": {...}, "files": {"docs/a.mdx": {"items": [
//   {"heading": {"text", "level", "anchor"}} | {"partial": "docs/_setup.mdx"} ]}}}
// "text" is mdast-util-to-string of the heading after its explicit id is removed (what the TOC
// shows, without markup). A partial's headings keep the anchors of its own file (it is compiled on
// its own), which is what the page shows where the partial is rendered.
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
const {createProcessorUncached} = require('@docusaurus/mdx-loader/lib/processor.js');
const preprocess = require('@docusaurus/mdx-loader/lib/preprocessor.js').default;
const {DEFAULT_PARSE_FRONT_MATTER} = require('@docusaurus/utils');
const {toString} = await import('mdast-util-to-string');
const {visit} = await import('unist-util-visit');

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const root = path.resolve(opt('--root') || '.');
const out = opt('--out');
const flag = (name) => { const i = args.indexOf(name); if (i < 0) return false; args.splice(i, 1); return true; };
const maintainCase = flag('--maintain-case');
const dirs = args;

const markdownConfig = {
  format: 'mdx', mermaid: false, emoji: true, preprocessor: undefined,
  parseFrontMatter: DEFAULT_PARSE_FRONT_MATTER,
  mdx1Compat: {comments: true, admonitions: true, headingIds: true},
  anchors: {maintainCase},
  remarkRehypeOptions: undefined,
  hooks: {onBrokenMarkdownLinks: 'ignore', onBrokenMarkdownImages: 'ignore'},
};

let captured;
const capture = () => (tree, vfile) => {
  const imports = new Map();
  visit(tree, 'mdxjsEsm', (node) => {
    for (const st of node.data?.estree?.body || []) {
      if (st.type !== 'ImportDeclaration' || !/\.mdx?$/.test(st.source.value)) continue;
      const def = st.specifiers.find((s) => s.type === 'ImportDefaultSpecifier');
      if (def) imports.set(def.local.name, st.source.value);
    }
  });
  const items = [];
  visit(tree, (node) => {
    if (node.type === 'heading') {
      items.push({heading: {text: toString(node), level: node.depth, anchor: node.data?.id ?? null}});
    } else if (node.type === 'mdxJsxFlowElement' && imports.has(node.name)) {
      const spec = imports.get(node.name);
      const target = spec.startsWith('@site/') ? path.join(root, spec.slice(6)) : path.resolve(path.dirname(vfile.path), spec);
      items.push({partial: path.relative(root, target).split(path.sep).join('/')});
    }
  });
  captured = items;
};

const options = {
  markdownConfig, admonitions: true, siteDir: root, staticDirs: [],
  remarkPlugins: [capture], rehypePlugins: [], beforeDefaultRemarkPlugins: [], beforeDefaultRehypePlugins: [],
};
const processors = {
  md: await createProcessorUncached({options, format: 'md'}),
  mdx: await createProcessorUncached({options, format: 'mdx'}),
};

const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (/\.mdx?$/.test(e.name)) files.push(p);
  }
};
dirs.forEach((d) => walk(path.join(root, d)));

const result = {};
const failed = {};
for (const file of files) {
  const key = path.relative(root, file).split(path.sep).join('/');
  const fileContent = fs.readFileSync(file, 'utf8');
  try {
    const {frontMatter} = await DEFAULT_PARSE_FRONT_MATTER({filePath: file, fileContent});
    const format = frontMatter.format === 'md' || frontMatter.format === 'mdx' ? frontMatter.format : 'mdx';
    const content = preprocess({fileContent, filePath: file, admonitions: true, markdownConfig});
    captured = null;
    await processors[format].process({content, filePath: file, frontMatter, compilerName: 'server'});
    result[key] = {items: captured};
  } catch (e) {
    failed[key] = String(e.message || e).split('\n')[0].slice(0, 200);
  }
}
const doc = {
  generator: {tool: 'make-heading-oracle', mdx_loader: require('@docusaurus/mdx-loader/package.json').version, node: process.version, maintainCase},
  failed, files: result,
};
// one file per line, so diffs stay readable
const lines = Object.entries(result).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const text = `{"generator": ${JSON.stringify(doc.generator)},\n "failed": ${JSON.stringify(failed)},\n "files": {\n${lines.join(',\n')}\n}}\n`;
if (out) fs.writeFileSync(out, text); else process.stdout.write(text);
console.error(`${Object.keys(result).length} files, ${Object.keys(failed).length} failed`);

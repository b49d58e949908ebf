// `bookctl ingest web` reads the same book as the site Docusaurus builds: every doc's permalink is a
// page of the built site and every heading anchor bookctl cites (h2-h6: its sections) is an id on that
// page, in every locale (bookctl chapters web --json, the site model the index is built from).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {ROOT, closeSiteSession, siteSession} from './harness.mjs';

after(closeSiteSession);

function pageFile(outDir, permalink) {
  const clean = permalink.replace(/^\//, '');
  for (const candidate of [path.join(clean, 'index.html'), `${clean}.html`, clean]) {
    const file = path.join(outDir, candidate);
    if (existsSync(file) && file.endsWith('.html')) return file;
  }
  return null;
}

test('every URL and anchor bookctl cites is a page and an id of the built site', async () => {
  const s = await siteSession();
  const result = spawnSync(path.join(ROOT, '.venv', 'bin', 'bookctl'), ['chapters', 'web', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, result.stderr);
  const site = JSON.parse(result.stdout);
  const missing = [];
  let anchors = 0;
  let pages = 0;
  for (const locale of Object.values(site.locales)) {
    for (const instance of Object.values(locale.instances)) {
      for (const version of instance.versions) {
        for (const doc of version.docs) {
          const file = pageFile(s.outDir, doc.permalink);
          if (!file) {
            missing.push(doc.permalink);
            continue;
          }
          pages += 1;
          const html = readFileSync(file, 'utf8');
          for (const h of doc.headings.filter((h) => h.level >= 2)) {
            anchors += 1;
            if (!html.includes(`id="${h.anchor}"`)) missing.push(`${doc.permalink}#${h.anchor}`);
          }
        }
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(Object.keys(site.locales).includes('fr') && pages > 60 && anchors > 300, `${pages} pages, ${anchors} anchors`);
});

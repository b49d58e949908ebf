// llms.txt published with the site (`make site` runs `bookctl export llms-txt` after the build): served
// by Docusaurus's own static server, every link of every llms.txt is a Markdown file and its page.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {closeSiteSession, siteSession} from './harness.mjs';

after(closeSiteSession);

async function links(url) {
  const r = await fetch(url);
  assert.equal(r.status, 200, url);
  const text = await r.text();
  assert.match(text, /^# Physical AI & Humanoid Robotics( \(Français\))?\n/);
  return [...text.matchAll(/\]\((http:\/\/127\.0\.0\.1:\d+\/[^)]+)\)/g)].map((m) => m[1]);
}

test('every llms.txt link is served: the .md and the page it comes from', async () => {
  const s = await siteSession();
  const root = await links(`${s.siteUrl}/llms.txt`);
  const french = await links(`${s.siteUrl}/fr/llms.txt`);
  assert.ok(root.includes(`${s.siteUrl}/fr/llms.txt`), 'the root llms.txt lists the French one');
  const docs = [...root, ...french].filter((u) => u.endsWith('.md'));
  assert.ok(docs.length > 30 && docs.some((u) => u.includes('/fr/')), docs.length);
  for (const url of docs) {
    const md = await fetch(url);
    assert.equal(md.status, 200, url);
    assert.match(await md.text(), /^# /, url);
    const page = await fetch(url.replace(/\.md$/, '').replace(/\/index$/, '/'));
    assert.equal(page.status, 200, `${url}: its page`);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/, url);
  }
});

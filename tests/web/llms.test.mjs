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

// Ground truth for bookctl.site.links: Docusaurus resolved each doc's links to other docs' files
// (`../x.md#a`) into the built page's hrefs; the links bookctl wrote into the same doc's Markdown
// (the text it indexes, quotes and exports) must lead to exactly those pages and anchors.
test("each doc's links to other docs lead where Docusaurus's built page links", async () => {
  const s = await siteSession();
  const docs = [];
  for (const index of [`${s.siteUrl}/llms.txt`, `${s.siteUrl}/fr/llms.txt`]) {
    docs.push(...(await links(index)).filter((u) => u.endsWith('.md') && !u.endsWith('/llms.txt')));
  }
  let checked = 0;
  const wrong = [];
  for (const url of docs) {
    const md = await (await fetch(url)).text();
    const page = await (await fetch(url.replace(/\.md$/, '').replace(/\/index$/, '/'))).text();
    const hrefs = new Set([...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')));
    // the body's links (after "Source: <url>"), to pages of this site that are not files
    const body = md.slice(md.indexOf('\n', md.indexOf('Source: ')));
    for (const m of body.matchAll(/\]\((?:<)?([^)\s>]+)/g)) {
      const link = m[1];
      if (/\.mdx?(#|$)/.test(link) && !link.includes('://')) wrong.push(`${url}: unresolved ${link}`);
      if (!link.startsWith(`${s.siteUrl}/docs`) && !link.startsWith(`${s.siteUrl}/fr/docs`)) continue;
      checked += 1;
      const path = link.slice(s.siteUrl.length);
      if (!hrefs.has(path)) wrong.push(`${url}: ${path} is no link of the built page`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 20, `${checked} links checked`);
});

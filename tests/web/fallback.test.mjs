// The fallback panel against the built site and a real `bookctl serve` with the offline model:
// ask, stream, cite, land on the cited heading; "Ask about this"; the French pages.
// The ChatKit CDN is unreachable here (as offline), so the site opens its fallback panel.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ARTIFACTS, ROOT, closeSiteSession, launchBrowser, selectText, siteSession} from './harness.mjs';

const BOOKCTL = path.join(ROOT, '.venv', 'bin', 'bookctl');
const serveMissing = !existsSync(BOOKCTL) || spawnSync(BOOKCTL, ['serve', '--help'], {encoding: 'utf8'}).status !== 0;
// `bookctl ingest web` needs bookctl to read web/docusaurus.config.ts (the site helper's issue 14):
// until `bookctl chapters web` does, these tests skip with its error rather than fail in `before`.
const siteRead = serveMissing ? null : spawnSync(BOOKCTL, ['chapters', 'web'], {cwd: ROOT, encoding: 'utf8'});
const siteUnreadable = siteRead !== null && siteRead.status !== 0;
const skip = serveMissing
  ? '`bookctl serve` is not available yet (issue 17)'
  : siteUnreadable
    ? `bookctl cannot read the web/ site yet, so \`bookctl ingest web\` fails: ${(siteRead.stderr || siteRead.stdout).trim().split('\n')[0]}`
    : false;

let s;
let browser;
let server;
let dataDir;
let frenchIndexed = false;

before(async () => {
  if (skip) return;
  s = await siteSession();
  dataDir = mkdtempSync(path.join(tmpdir(), 'bookctl-web-data-'));
  const env = {...process.env, BOOKCTL_DATA_DIR: dataDir, BOOKCTL_MODEL: 'offline', OPENAI_API_KEY: ''};
  const ingest = spawnSync(BOOKCTL, ['ingest', 'web'], {cwd: ROOT, env, encoding: 'utf8'});
  assert.equal(ingest.status, 0, `bookctl ingest web failed:\n${ingest.stdout}\n${ingest.stderr}`);
  const search = spawnSync(BOOKCTL, ['search', 'centrale inertielle', '--site', 'web', '--locale', 'fr', '--json', '-k', '20'], {cwd: ROOT, env, encoding: 'utf8'});
  frenchIndexed = search.status === 0 && JSON.parse(search.stdout).some((hit) => hit.url.startsWith('/fr/'));
  server = spawn(BOOKCTL, ['serve', 'web', '--host', '127.0.0.1', '--port', String(s.serverPort), '--site-url', `${s.siteUrl}/`, '--allow-origin', s.siteUrl], {cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']});
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${s.serverUrl}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (server.exitCode !== null || Date.now() > deadline) throw new Error('bookctl serve did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dataDir) rmSync(dataDir, {recursive: true, force: true});
  await closeSiteSession();
});

/** The built site has a page at `pathname`, with an element whose id is the anchor. */
function assertBuiltAnchor(outDir, pathname, hash) {
  const base = path.join(outDir, decodeURIComponent(pathname));
  const file = [path.join(base, 'index.html'), `${base}.html`].find((f) => existsSync(f));
  assert.ok(file, `${pathname}: no page in the built site`);
  if (hash) assert.ok(readFileSync(file, 'utf8').includes(`id="${decodeURIComponent(hash.slice(1))}"`), `${pathname}${hash}: no such anchor in the built page`);
}

async function ask(page, question) {
  await page.locator('[data-bookctl="composer"] [contenteditable]').fill(question);
  await page.keyboard.press('Enter');
}

test('fallback panel: ask, watch it stream, follow a citation to its page and heading', {skip}, async () => {
  const page = await browser.context.newPage();
  await page.goto(`${s.siteUrl}/docs/ros2/architecture`);
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('[data-bookctl="window"][data-mode="fallback"]');
  // The offline model writes its whole answer within ~50 ms, too fast to catch a streaming answer by
  // polling for it: a MutationObserver records whether one was ever shown streaming, with text.
  await page.evaluate(() => {
    window.__bookctlStreamed = false;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-bookctl="answer"][data-streaming="true"]')) {
        if (el.textContent.trim()) window.__bookctlStreamed = true;
      }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  });
  await ask(page, 'Where should a pushed humanoid step to come to a stop?');
  await page.waitForSelector('[data-bookctl="answer"][data-streaming="false"] [data-bookctl="citation"]', {timeout: 30_000});
  const answer = await page.locator('[data-bookctl="answer"]').last().innerText();
  assert.match(answer, /capture point/i);
  assert.ok(await page.evaluate(() => window.__bookctlStreamed), 'the answer was shown while it streamed');
  await page.screenshot({path: path.join(ARTIFACTS, 'fallback-panel.png')});

  const citation = page.locator('[data-bookctl="citation"]').first();
  const href = new URL(await citation.evaluate((a) => a.href));
  assertBuiltAnchor(s.outDir, href.pathname, href.hash);
  await citation.click();
  await page.waitForURL((url) => url.pathname === href.pathname && url.hash === href.hash);
  // the SPA renders the new page after the URL changes: measure the heading once it is there
  await page.waitForSelector(`[id="${decodeURIComponent(href.hash.slice(1))}"]`);
  await page.waitForTimeout(300); // the scroll to the anchor
  const top = await page.evaluate((id) => document.getElementById(id)?.getBoundingClientRect().top, decodeURIComponent(href.hash.slice(1)));
  assert.ok(top !== undefined && top >= 0 && top < 400, `the cited heading is in view (top ${top})`);
  await page.close();
});

test('"Ask about this": the answer quotes the selected passage', {skip}, async () => {
  const page = await browser.context.newPage();
  await page.goto(`${s.siteUrl}/docs/introduction/sensor-systems`);
  const sentence = 'The gyroscope measures angular velocity; integrating it gives orientation, which drifts over time.';
  // until the page has hydrated nobody listens for the selection: select again until the button shows
  const button = page.locator('[data-bookctl="ask-selection"]');
  for (let i = 0; i < 20 && !(await button.isVisible()); i++) {
    await selectText(page, 'article p', sentence);
    await page.waitForTimeout(500);
  }
  await button.click();
  await page.waitForSelector('[data-bookctl="answer"][data-streaming="false"]', {timeout: 30_000});
  const answer = await page.locator('[data-bookctl="answer"]').last().innerText();
  assert.ok(answer.includes('integrating it gives orientation'), answer);
  await page.close();
});

test('French pages: the requests carry fr and the answer cites French pages', {skip}, async (t) => {
  if (!frenchIndexed) {
    t.skip('the index has no French docs: `bookctl search --locale fr` found none after `bookctl ingest web`');
    return;
  }
  const page = await browser.context.newPage();
  const languages = [];
  page.on('request', (request) => {
    if (request.url() === `${s.serverUrl}/chatkit` && request.method() === 'POST') languages.push(request.headers()['accept-language']);
  });
  await page.goto(`${s.siteUrl}/fr/docs/introduction/sensor-systems`);
  await page.click('[data-bookctl="launcher"]');
  await ask(page, 'Que mesure une centrale inertielle ?');
  await page.waitForSelector('[data-bookctl="answer"][data-streaming="false"] [data-bookctl="citation"]', {timeout: 30_000});
  assert.ok(languages.length > 0 && languages.every((l) => l === 'fr'), JSON.stringify(languages));
  const hrefs = await page.locator('[data-bookctl="citation"]').evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
  assert.ok(hrefs.some((p) => p.startsWith('/fr/docs/introduction/')), JSON.stringify(hrefs));
  assert.ok(hrefs.every((p) => p.startsWith('/fr/')), JSON.stringify(hrefs));
  await page.close();
});

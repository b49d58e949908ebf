// The website's benchmark (bench/run.py runs it and reads the JSON it prints):
// - the site build time (both locales, as `make site` builds it);
// - the JavaScript a doc page loads before the chat opens, gzip, with and without the assistant;
// - what opening the chat loads on top (the lazy chunks).
import {gzipSync} from 'node:zlib';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {WEB, buildSite, freePort, launchBrowser, serveSite} from './harness.mjs';

const PAGE = '/docs/introduction/physical-ai';

async function jsBytes(siteUrl, openChat) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  const pending = [];
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.endsWith('.js')) return;
    pending.push(response.body().then((body) => gzipSync(body, {level: 9}).length, () => 0));
  });
  const total = async () => (await Promise.all(pending)).reduce((a, b) => a + b, 0);
  const response = await page.goto(`${siteUrl}${PAGE}`, {waitUntil: 'networkidle'});
  if (!response?.ok()) throw new Error(`${siteUrl}${PAGE}: ${response?.status()}`);
  const before = await total();
  let opened = 0;
  if (openChat) {
    await page.click('[data-bookctl="launcher"]');
    await page.waitForSelector('[data-bookctl="fallback"]');
    await page.waitForLoadState('networkidle');
    opened = (await total()) - before;
  }
  await browser.close();
  return {before, opened};
}

const work = mkdtempSync(path.join(tmpdir(), 'bookctl-web-bench-'));
try {
  const port = await freePort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const withOut = path.join(work, 'with');
  const buildS = buildSite({outDir: withOut, siteUrl, serverUrl: 'http://127.0.0.1:9'});
  const site = await serveSite(withOut, port);
  const withAssistant = await jsBytes(siteUrl, true);
  site.stop();

  const withoutOut = path.join(work, 'without');
  const result = spawnSync(path.join(WEB, 'node_modules/.bin/docusaurus'), ['build', '--out-dir', withoutOut, '--locale', 'en'], {
    cwd: WEB,
    env: {...process.env, BOOKCTL_ASSISTANT: 'off', BOOKCTL_SITE_URL: siteUrl},
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  const port2 = await freePort();
  const bare = await serveSite(withoutOut, port2);
  const withoutAssistant = await jsBytes(`http://127.0.0.1:${port2}`, false);
  bare.stop();
  console.log(
    JSON.stringify({
      page: PAGE,
      build_s: Math.round(buildS * 10) / 10,
      js_gzip_bytes_with: withAssistant.before,
      js_gzip_bytes_without: withoutAssistant.before,
      widget_gzip_bytes: withAssistant.before - withoutAssistant.before,
      chat_open_gzip_bytes: withAssistant.opened,
    }),
  );
} finally {
  rmSync(work, {recursive: true, force: true});
}

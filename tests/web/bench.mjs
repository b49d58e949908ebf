// The website's benchmark (bench/run.py runs it and reads the JSON it prints):
// - the site build time (both locales, as `make site` builds it);
// - the JavaScript a doc page loads before the chat opens, gzip, with and without the assistant;
// - what opening the chat loads on top (the lazy chunks);
// - the time from pressing Enter in the fallback panel to the first answer text on screen, against a
//   real `bookctl serve` with the offline model (the ChatKit UI itself cannot load offline).
import {gzipSync} from 'node:zlib';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {spawnSync} from 'node:child_process';
import {WEB, buildSite, freePort, launchBrowser, serveSite, startServe} from './harness.mjs';

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

const QUESTIONS = [
  'Where should a pushed humanoid step to come to a stop?',
  'What does an IMU measure?',
  'How do ROS 2 nodes exchange messages?',
];

function pct(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
}

/** Enter pressed in the panel's composer -> the first answer text on screen, in ms, `rounds` times. */
async function clickToFirstToken(siteUrl, rounds) {
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  await page.goto(`${siteUrl}${PAGE}`, {waitUntil: 'networkidle'});
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('[data-bookctl="window"][data-mode="fallback"]');
  const times = [];
  for (let i = 0; i < rounds; i++) {
    await page.locator('[data-bookctl="composer"] [contenteditable]').fill(QUESTIONS[i % QUESTIONS.length]);
    await page.evaluate(() => {
      const before = document.querySelectorAll('[data-bookctl="answer"]').length;
      window.__t0 = undefined;
      window.__t1 = undefined;
      document.addEventListener('keydown', (e) => e.key === 'Enter' && (window.__t0 ??= performance.now()), {capture: true, once: true});
      const seen = () => {
        const answers = document.querySelectorAll('[data-bookctl="answer"]');
        if (answers.length > before && answers[answers.length - 1].textContent.trim()) {
          window.__t1 = performance.now();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(seen);
      observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__t1 !== undefined, null, {timeout: 30_000});
    times.push(await page.evaluate(() => window.__t1 - window.__t0));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-bookctl="answer"]')].at(-1)?.dataset.streaming === 'false', null, {timeout: 30_000});
  }
  await browser.close();
  return times;
}

const work = mkdtempSync(path.join(tmpdir(), 'bookctl-web-bench-'));
try {
  const port = await freePort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const withOut = path.join(work, 'with');
  const servePort = await freePort();
  const buildS = buildSite({outDir: withOut, siteUrl, serverUrl: `http://127.0.0.1:${servePort}`});
  const site = await serveSite(withOut, port);
  const withAssistant = await jsBytes(siteUrl, true);
  const server = await startServe(servePort, siteUrl);
  let firstToken;
  try {
    firstToken = await clickToFirstToken(siteUrl, 21);
  } finally {
    server.stop();
    site.stop();
  }
  const warm = firstToken.slice(1);

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
      first_token_first_ms: Math.round(firstToken[0]),
      first_token_p50_ms: Math.round(pct(warm, 50)),
      first_token_p95_ms: Math.round(pct(warm, 95)),
      first_token_rounds: warm.length,
    }),
  );
} finally {
  rmSync(work, {recursive: true, force: true});
}

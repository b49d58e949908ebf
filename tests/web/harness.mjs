// The real-browser test harness: builds the site once per test run, serves it with Docusaurus's own
// `docusaurus serve` on a free 127.0.0.1 port, and drives Debian's chromium with playwright-core.
// No browser is downloaded, and no request leaves 127.0.0.1: every other request is answered by the
// test (the ChatKit CDN script, the token URL) or aborted and recorded.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, rmSync, existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const WEB = path.join(ROOT, 'web');
export const ARTIFACTS = path.join(HERE, 'artifacts');
export const CHROMIUM = process.env.BOOKCTL_CHROMIUM ?? '/usr/bin/chromium';
export const CHATKIT_CDN = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';
export const DOMAIN_KEY = 'domain_pk_test_standin';

const LAUNCH_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function docusaurusBin() {
  return path.join(WEB, 'node_modules', '.bin', 'docusaurus');
}

/** `docusaurus build` of web/ into `outDir` with the given URLs baked in; returns the build time in s. */
export function buildSite({outDir, siteUrl, serverUrl, tokenUrl = '', domainKey = '', authUrl = ''}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(docusaurusBin(), ['build', '--out-dir', outDir], {
    cwd: WEB,
    env: {
      ...process.env,
      BOOKCTL_SITE_URL: siteUrl,
      BOOKCTL_SERVER_URL: serverUrl,
      BOOKCTL_AUTH_TOKEN_URL: tokenUrl,
      BOOKCTL_AUTH_URL: authUrl,
      BOOKCTL_CHATKIT_DOMAIN_KEY: domainKey,
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`docusaurus build failed:\n${result.stdout}\n${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** What `make site` does after the build: `bookctl export llms-txt` into the built site. */
export function exportLlmsTxt(outDir, siteUrl) {
  const bookctl = path.join(ROOT, '.venv', 'bin', 'bookctl');
  const result = spawnSync(bookctl, ['export', 'llms-txt', 'web', '--out', outDir, '--site-url', siteUrl], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bookctl export llms-txt failed:\n${result.stdout}\n${result.stderr}`);
}

/** Serve a built site with Docusaurus's own static server (its trailing-slash and locale handling). */
export async function serveSite(dir, port) {
  const child = spawn(docusaurusBin(), ['serve', '--dir', dir, '--host', '127.0.0.1', '--port', String(port), '--no-open'], {
    cwd: WEB,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, child);
  } catch (error) {
    child.kill();
    throw new Error(`${error.message}\n${output}`);
  }
  return {url: `http://127.0.0.1:${port}`, stop: () => child.kill()};
}

export const BOOKCTL = path.join(ROOT, '.venv', 'bin', 'bookctl');

/**
 * `bookctl ingest web` into a fresh data dir, then `bookctl serve web` on 127.0.0.1:`port` with the
 * offline model, answering the site at `siteUrl`. Returns {env, dataDir, stop}.
 */
export async function startServe(port, siteUrl) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bookctl-web-data-'));
  const env = {...process.env, BOOKCTL_DATA_DIR: dataDir, BOOKCTL_MODEL: 'offline', OPENAI_API_KEY: ''};
  const ingest = spawnSync(BOOKCTL, ['ingest', 'web'], {cwd: ROOT, env, encoding: 'utf8'});
  if (ingest.status !== 0) throw new Error(`bookctl ingest web failed:\n${ingest.stdout}\n${ingest.stderr}`);
  const child = spawn(BOOKCTL, ['serve', 'web', '--host', '127.0.0.1', '--port', String(port), '--site-url', `${siteUrl}/`, '--allow-origin', siteUrl], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child);
  } catch (error) {
    child.kill();
    throw new Error(`bookctl serve did not start: ${error.message}\n${output}`);
  }
  return {
    env,
    dataDir,
    stop: () => {
      child.kill();
      rmSync(dataDir, {recursive: true, force: true});
    },
  };
}

let session = null;

/**
 * One built site and one static server for the whole test run. The site is built with a ChatKit
 * domain key, so it tries ChatKit first: tests that answer the CDN request get the stand-in element,
 * tests that do not (offline, like CI) get the fallback panel.
 */
export function siteSession() {
  session ??= (async () => {
    mkdirSync(ARTIFACTS, {recursive: true});
    const work = mkdtempSync(path.join(tmpdir(), 'bookctl-web-'));
    const sitePort = await freePort();
    const serverPort = await freePort();
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    const outDir = path.join(work, 'build');
    const buildSeconds = buildSite({
      outDir,
      siteUrl,
      serverUrl: `http://127.0.0.1:${serverPort}`,
      tokenUrl: `${siteUrl}/_auth/token`,
      domainKey: DOMAIN_KEY,
    });
    exportLlmsTxt(outDir, siteUrl);
    const site = await serveSite(outDir, sitePort);
    return {work, outDir, site, siteUrl, serverPort, serverUrl: `http://127.0.0.1:${serverPort}`, buildSeconds};
  })();
  return session;
}

export async function closeSiteSession() {
  if (!session) return;
  const s = await session;
  s.site.stop();
  rmSync(s.work, {recursive: true, force: true});
  session = null;
}

/** Debian's chromium with a fresh profile; every request off 127.0.0.1 is aborted and recorded. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (make test-web does)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'bookctl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_FLAGS,
    viewport: {width: 1280, height: 860},
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const {hostname} = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.fallback();
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

/** Select the first sentence of the paragraph matching `paragraphText` (a real mouse-free DOM selection). */
export async function selectText(page, paragraphSelector, text) {
  await page.evaluate(
    ({paragraphSelector, text}) => {
      const paragraph = Array.from(document.querySelectorAll(paragraphSelector)).find((p) => p.textContent.includes(text));
      if (!paragraph) throw new Error(`no paragraph contains ${JSON.stringify(text)}`);
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const at = node.textContent.indexOf(text);
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          paragraph.scrollIntoView({block: 'center'});
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          return;
        }
      }
      throw new Error(`${JSON.stringify(text)} is not inside one text node`);
    },
    {paragraphSelector, text},
  );
}

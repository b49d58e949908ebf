// Readers' accounts in the browser: the built site with the account item in its navbar, the real
// auth service (services/auth, Better Auth) on a throwaway Postgres database, and a real
// `bookctl serve --auth optional --jwks-url ...` with the offline model. Debian's chromium through
// the website tests' harness (tests/web/harness.mjs; `make test` runs this file with them).
//
// Sign up, sign out, sign in, ask, reload: the conversation is in the thread list; sign out: it is
// gone from view. Reports the time from pressing "Sign in" to the first answer text.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ARTIFACTS, ROOT, buildSite, freePort, launchBrowser, serveSite} from '../web/harness.mjs';

const BOOKCTL = path.join(ROOT, '.venv', 'bin', 'bookctl');
const POSTGRES = (process.env.BOOKCTL_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test').replace('+asyncpg', '');
const QUESTION = 'Where should a pushed humanoid step to come to a stop?';
let work;
let database;
let auth;
let server;
let site;
let browser;
let urls;

function psql(sql) {
  const result = spawnSync('psql', [POSTGRES, '-v', 'ON_ERROR_STOP=1', '-qc', sql], {encoding: 'utf8'});
  assert.equal(result.status, 0, `psql: ${result.stderr}`);
}

/** Start a child process and wait until `url` answers. */
async function started(child, url, what) {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return child;
    } catch {
      // starting
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${what} did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'bookctl-accounts-'));
  const [sitePort, serverPort, authPort] = [await freePort(), await freePort(), await freePort()];
  urls = {
    site: `http://127.0.0.1:${sitePort}`,
    server: `http://127.0.0.1:${serverPort}`,
    auth: `http://127.0.0.1:${authPort}`,
  };
  database = `bookctl_accounts_${process.pid}_${randomBytes(3).toString('hex')}`;
  psql(`CREATE DATABASE "${database}"`);
  const databaseUrl = `${POSTGRES.replace(/\/[^/]*$/, '')}/${database}`;

  auth = await started(
    spawn('node', ['src/server.js', '--port', String(authPort)], {
      cwd: path.join(ROOT, 'services', 'auth'),
      env: {PATH: process.env.PATH, BETTER_AUTH_SECRET: randomBytes(32).toString('base64'), AUTH_SITE_ORIGINS: urls.site, DATABASE_URL: databaseUrl},
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    `${urls.auth}/healthz`,
    'the auth service',
  );
  const env = {...process.env, BOOKCTL_DATA_DIR: path.join(work, 'data'), BOOKCTL_MODEL: 'offline', OPENAI_API_KEY: '', BOOKCTL_DATABASE_URL: databaseUrl};
  // the book at the repository root: the same docs the site builds (content/ + sidebars.js)
  const ingest = spawnSync(BOOKCTL, ['ingest'], {cwd: ROOT, env, encoding: 'utf8'});
  assert.equal(ingest.status, 0, `bookctl ingest failed:\n${ingest.stdout}\n${ingest.stderr}`);
  server = await started(
    spawn(
      BOOKCTL,
      ['serve', '--port', String(serverPort), '--site-url', `${urls.site}/`, '--allow-origin', urls.site, '--auth', 'optional', '--jwks-url', `${urls.auth}/api/auth/jwks`],
      {cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']},
    ),
    `${urls.server}/healthz`,
    'bookctl serve',
  );
  const outDir = path.join(work, 'build');
  buildSite({outDir, siteUrl: urls.site, serverUrl: urls.server, authUrl: urls.auth});
  site = await serveSite(outDir, sitePort);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  site?.stop();
  server?.kill();
  auth?.kill();
  if (database) psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  if (work) rmSync(work, {recursive: true, force: true});
});

async function fillDialog(page, fields) {
  const dialog = page.locator('[data-bookctl="account-dialog"]');
  for (const [name, value] of Object.entries(fields)) await dialog.locator(`input[name="${name}"]`).fill(value);
  await dialog.locator('[data-bookctl="account-submit"]').click();
}

async function openChat(page) {
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('[data-bookctl="window"][data-mode="fallback"] [data-bookctl="fallback"]');
}

/** The titles in the chat's thread list (opened, read, screenshot, closed). */
async function threadTitles(page, screenshot) {
  await page.click('[data-bookctl="threads"]');
  // the list has loaded when its spinner is gone
  await page.waitForFunction(() => !document.querySelector('.cs-conversation-list__loading-more, .cs-loader'));
  await page.waitForTimeout(300);
  const titles = await page.locator('.cs-conversation__name').allInnerTexts();
  await page.screenshot({path: path.join(ARTIFACTS, screenshot)});
  await page.click('[data-bookctl="threads"]');
  return titles;
}

test('accounts: sign up, sign in, ask, reload and find the conversation; sign out and it is gone', async () => {
  const page = await browser.context.newPage();
  const serveRequests = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${urls.server}/chatkit`)) serveRequests.push(request.headers().authorization ?? null);
  });
  const reader = {name: 'Ada Lovelace', email: `ada-${randomBytes(4).toString('hex')}@example.org`, password: randomBytes(12).toString('base64url')};
  await page.goto(`${urls.site}/docs/ros2/architecture`);

  // sign up (signs in), then sign out
  await page.click('[data-bookctl="sign-in"]');
  await page.click('[data-bookctl="account-switch"]');
  await fillDialog(page, reader);
  await page.waitForSelector(`[data-bookctl="account-name"]:has-text("${reader.name}")`);
  await page.screenshot({path: path.join(ARTIFACTS, 'accounts-signed-in.png')});
  await page.click('[data-bookctl="sign-out"]');
  await page.waitForSelector('[data-bookctl="sign-in"]');

  // a wrong password says so in the dialog
  await page.click('[data-bookctl="sign-in"]');
  await fillDialog(page, {email: reader.email, password: 'not the password'});
  await page.waitForSelector('[data-bookctl="account-error"]');
  assert.match(await page.locator('[data-bookctl="account-error"]').innerText(), /invalid|password/i);
  await page.screenshot({path: path.join(ARTIFACTS, 'accounts-dialog-error.png')});

  // sign in, ask: the answer is the signed-in reader's
  const signInPressed = Date.now();
  await fillDialog(page, {email: reader.email, password: reader.password});
  await page.waitForSelector(`[data-bookctl="account-name"]:has-text("${reader.name}")`);
  await openChat(page);
  await page.locator('[data-bookctl="composer"] [contenteditable]').fill(QUESTION);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-bookctl="answer"]')].some((a) => a.innerText.trim().length > 0), null, {timeout: 60_000});
  const firstAnswerMs = Date.now() - signInPressed;
  await page.waitForSelector('[data-bookctl="answer"][data-streaming="false"]', {timeout: 60_000});
  assert.match(await page.locator('[data-bookctl="answer"]').last().innerText(), /capture point/i);
  assert.ok(serveRequests.length > 0 && serveRequests.every((h) => /^Bearer ey/.test(h ?? '')), `every /chatkit request carried a JWT: ${serveRequests}`);

  // the conversation is logged under the reader's user id (the JWT's sub)
  const session = localStorageSession(await page.evaluate(() => window.localStorage.getItem('bookctl.auth.session')));
  const me = await (await fetch(`${urls.auth}/api/auth/get-session`, {headers: {Authorization: `Bearer ${session}`}})).json();
  const listed = spawnSync(BOOKCTL, ['sessions', 'list', '--user', me.user.id, '--json', '--data-dir', path.join(work, 'data')], {
    cwd: ROOT,
    env: {...process.env, BOOKCTL_DATABASE_URL: `${POSTGRES.replace(/\/[^/]*$/, '')}/${database}`},
    encoding: 'utf8',
  });
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout).map((s) => [s.user, s.origin, s.turns]), [[me.user.id, 'web', 1]]);

  // reload: still signed in, and the conversation is in the list
  await page.reload();
  await page.waitForSelector(`[data-bookctl="account-name"]:has-text("${reader.name}")`);
  await openChat(page);
  assert.deepEqual(await threadTitles(page, 'accounts-thread-list.png'), [QUESTION]);

  // sign out: the conversation is gone from view, and from the list
  await page.click('[data-bookctl="sign-out"]');
  await page.waitForSelector('[data-bookctl="sign-in"]');
  await page.waitForSelector('[data-bookctl="window"] [data-bookctl="fallback"]');
  assert.equal(await page.locator('[data-bookctl="answer"]').count(), 0);
  assert.deepEqual(await threadTitles(page, 'accounts-signed-out.png'), []);
  assert.equal(await page.evaluate(() => window.localStorage.getItem('bookctl.auth.session')), null);

  writeFileSync(path.join(ARTIFACTS, 'accounts-timing.json'), JSON.stringify({sign_in_to_first_answer_ms: firstAnswerMs}, null, 2) + '\n');
  console.log(`sign-in to first answer: ${firstAnswerMs} ms`);
  assert.deepEqual(browser.blocked, []);
  await page.close();
});

function localStorageSession(value) {
  assert.ok(value, 'the bearer session is kept in localStorage');
  return value;
}

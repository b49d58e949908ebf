// ChatKit wiring, with the CDN script request answered by a stand-in element that records what the
// page gives it. The real ChatKit UI is not exercised here (it loads from OpenAI's CDN).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {ARTIFACTS, CHATKIT_CDN, DOMAIN_KEY, HERE, closeSiteSession, launchBrowser, selectText, siteSession} from './harness.mjs';

const STANDIN = readFileSync(path.join(HERE, 'chatkit-standin.js'), 'utf8');
// A token the way Better Auth's /api/auth/token returns one (the server is not involved here).
const TOKEN = `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({sub: 'reader-1', exp: Math.floor(Date.now() / 1000) + 600})).toString('base64url')}.c2ln`;

let s;
let browser;
before(async () => {
  s = await siteSession();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await closeSiteSession();
});

/** A page whose ChatKit script, token URL and /chatkit endpoint are answered by the test. */
async function standInPage() {
  const page = await browser.context.newPage();
  const seen = [];
  await page.route(CHATKIT_CDN, (route) => route.fulfill({status: 200, contentType: 'text/javascript', body: STANDIN}));
  await page.route(`${s.siteUrl}/_auth/token`, (route) => route.fulfill({status: 200, contentType: 'application/json', body: JSON.stringify({token: TOKEN})}));
  await page.route(`${s.serverUrl}/chatkit`, async (route) => {
    const request = route.request();
    seen.push({headers: await request.allHeaders(), body: request.postDataJSON()});
    await route.fulfill({status: 200, contentType: 'text/event-stream', headers: {'Access-Control-Allow-Origin': s.siteUrl}, body: 'data: {"type":"stream_options","stream_options":{"allow_cancel":false}}\n\n'});
  });
  return {page, seen};
}

test('the page hands ChatKit the server, the locale and a fetch that adds the token and the page', async () => {
  const {page, seen} = await standInPage();
  await page.goto(`${s.siteUrl}/docs/introduction/physical-ai`);
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('[data-bookctl="window"][data-mode="chatkit"] openai-chatkit');
  const record = await page.evaluate(() => window.__chatkitStandIn);
  assert.equal(record.options.length >= 1, true);
  assert.deepEqual(record.options.at(-1), {
    apiUrl: `${s.serverUrl}/chatkit`,
    domainKey: DOMAIN_KEY,
    hasCustomFetch: true,
    locale: 'en',
    historyEnabled: true,
    feedback: true,
    hasOnAction: true,
  });

  await page.evaluate(() => document.querySelector('openai-chatkit').sendUserMessage({text: 'What is a policy?'}));
  await page.waitForFunction(() => window.__chatkitStandIn.requests.length === 1);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(seen[0].headers['accept-language'], 'en');
  assert.equal(seen[0].body.type, 'threads.create');
  assert.deepEqual(seen[0].body.metadata.page, {
    doc_id: 'introduction/physical-ai',
    instance: 'default',
    version: 'current',
    locale: 'en',
    path: '/docs/introduction/physical-ai',
    title: seen[0].body.metadata.page.title,
  });
  assert.match(seen[0].body.metadata.page.title, /From Digital AI to Physical AI/);
  await page.close();
});

test('"Ask about this" on a selection goes to ChatKit as a custom action with the passage and its section', async () => {
  const {page, seen} = await standInPage();
  await page.goto(`${s.siteUrl}/docs/introduction/physical-ai`);
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('openai-chatkit');
  // A thread exists once the reader has asked something.
  await page.evaluate(() => document.querySelector('openai-chatkit').sendUserMessage({text: 'Hello'}));
  await page.waitForFunction(() => window.__chatkitStandIn.requests.length === 1);

  const sentence = 'Every robot, from a robot vacuum to a humanoid, runs a loop:';
  await selectText(page, 'article p', sentence);
  const button = page.locator('[data-bookctl="ask-selection"]');
  await button.waitFor();
  await page.screenshot({path: path.join(ARTIFACTS, 'selection-button.png')});
  await button.click();
  await page.waitForFunction(() => window.__chatkitStandIn.actions.length === 1);
  const {actions} = await page.evaluate(() => window.__chatkitStandIn);
  assert.equal(actions[0].action.type, 'bookctl.ask_selection');
  assert.equal(actions[0].action.payload.text, sentence);
  assert.equal(actions[0].action.payload.heading_id, 'the-sense-think-act-loop');
  assert.equal(actions[0].action.payload.heading, 'The sense-think-act loop');
  assert.equal(actions[0].action.payload.doc_id, 'introduction/physical-ai');
  await page.waitForFunction(() => window.__chatkitStandIn.requests.length === 2);
  assert.equal(seen[1].body.type, 'threads.custom_action');
  assert.equal(seen[1].body.params.action.payload.text, sentence);
  assert.equal(seen[1].headers.authorization, `Bearer ${TOKEN}`);
  await page.close();
});

test('on a French page ChatKit gets the French locale and the requests carry it', async () => {
  const {page, seen} = await standInPage();
  await page.goto(`${s.siteUrl}/fr/docs/introduction/sensor-systems`);
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('openai-chatkit');
  const {options} = await page.evaluate(() => window.__chatkitStandIn);
  assert.equal(options.at(-1).locale, 'fr');
  assert.equal(options.at(-1).apiUrl, `${s.serverUrl}/chatkit`);
  await page.evaluate(() => document.querySelector('openai-chatkit').sendUserMessage({text: 'Qu’est-ce qu’un LiDAR ?'}));
  await page.waitForFunction(() => window.__chatkitStandIn.requests.length === 1);
  assert.equal(seen[0].headers['accept-language'], 'fr');
  assert.equal(seen[0].body.metadata.page.locale, 'fr');
  assert.equal(seen[0].body.metadata.page.doc_id, 'introduction/sensor-systems');
  assert.equal(seen[0].body.metadata.page.path, '/fr/docs/introduction/sensor-systems');
  await page.close();
});

test('without the CDN (offline) the same button opens the fallback panel', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${s.siteUrl}/docs/introduction/physical-ai`);
  await page.click('[data-bookctl="launcher"]');
  await page.waitForSelector('[data-bookctl="window"][data-mode="fallback"] [data-bookctl="fallback"]');
  assert.ok(browser.blocked.includes(CHATKIT_CDN), 'the CDN request was made and refused');
  assert.deepEqual(
    browser.blocked.filter((url) => url !== CHATKIT_CDN),
    [],
  );
  await page.close();
});

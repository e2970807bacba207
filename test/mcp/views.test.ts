/**
 * The pages people look at, in a real browser (Debian's Chromium driven by playwright-core), on a
 * served copy of a seeded workspace: the status page behind the server's token (with JavaScript on
 * and off), and the MCP App view, loaded into a host page that speaks the extension's protocol with
 * the SDK's own AppBridge and hands it real tool results. Each check reads what the page shows
 * against the answers, asserts the console stayed clean, and saves a screenshot under
 * dist/test-output/views.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { CHARTS_VIEW } from '../../src/mcp/views.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';

const TOKEN = 'views-test-token-7f3a9c';
const PHRASE = 'quasar widget';
const SHOTS = join(PACKAGE_ROOT, 'dist', 'test-output', 'views');
/** Debian's Chromium, as .ci/run installs it; the flags keep it off the network this machine lacks. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ToolResult {
  content: { type: string; text: string }[];
  structuredContent: Record<string, any>;
  isError?: boolean;
}

/** The host side of MCP Apps for the page: AppBridge from the extension's SDK, bundled for the browser. */
async function hostScript(): Promise<string> {
  const out = await build({
    stdin: {
      resolveDir: PACKAGE_ROOT,
      contents: `
        import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
        window.showAnswer = async (html, args, result) => {
          const frame = document.createElement('iframe');
          frame.sandbox = 'allow-scripts';
          frame.style.cssText = 'width: 960px; height: 1500px; border: 0';
          frame.srcdoc = html;
          document.body.append(frame);
          const bridge = new AppBridge(null, { name: 'views test host', version: '1' }, {});
          const initialized = new Promise((resolve) => (bridge.oninitialized = resolve));
          // As a host does: the frame takes the height the view reports.
          bridge.onsizechange = ({ height }) => {
            if (height) frame.style.height = height + 'px';
            document.body.dataset.viewHeight = String(height);
          };
          await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
          await initialized;
          await bridge.sendToolInput({ arguments: args });
          await bridge.sendToolResult(result);
        };`,
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

/** Every console error and uncaught exception of a page, to be asserted empty. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('the pages people look at, in Chromium', () => {
  let em: RunningEmulator;
  let serve: ServeProcess;
  let client: Client;
  let browser: Browser;
  let base: string;
  let host: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    em = await startEmulator({
      conversations: 700,
      days: 40,
      tickets: 120,
      seed: 'views',
      timezone: 'America/Chicago',
      theme: { phrase: PHRASE, conversations: 30, days: 5 },
    });
    const { store, target } = await freshStore(ENGINES[0]!);
    await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 40 });
    await store.close();
    serve = await startServeProcess(
      target.workspaceDir,
      { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) },
      TOKEN,
    );
    base = serve.url.replace(/\/mcp$/, '');
    client = await serve.connect();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    host = await hostScript();
  });
  after(async () => {
    await browser?.close();
    await client?.close();
    await serve?.stop();
    await em?.stop();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as unknown as ToolResult;
    assert.notEqual(r.isError, true, r.content[0]?.text);
    return r;
  };

  it('the status page asks for the token, then shows the numbers, the week and no customer text', async () => {
    const refused = await fetch(`${base}/`);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);
    const wrong = await fetch(`${base}/`, {
      headers: { Authorization: `Basic ${Buffer.from('ops:not-the-token').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    const curl = await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(curl.status, 200);
    assert.match(curl.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(curl.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(curl.headers.get('cache-control'), 'no-store');
    const posted = await fetch(`${base}/`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(posted.status, 405);

    const status = (await call('get_server_status', {})).structuredContent;
    const week = (await call('conversation_stats', { timeframe: 'last 7 days', bucket: 'day' }))
      .structuredContent;
    const context = await browser.newContext({ httpCredentials: { username: 'ops', password: TOKEN } });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const response = await page.goto(`${base}/`);
    assert.equal(response?.status(), 200);
    assert.match(
      await page.locator('#kinds').innerText(),
      new RegExp(`conversations\\s+${status.conversations.toLocaleString('en-US')};`),
    );
    assert.match(await page.locator('#sync').innerText(), /last run\s+succeeded/);
    const chart = page.locator('#volume-chart canvas[aria-label="Conversations per day"]');
    await chart.waitFor();
    const cells = await page.locator('#volume-chart td:nth-child(2)').allInnerTexts();
    assert.deepEqual(
      cells.map(Number),
      week.volume.map((v: { count: number }) => v.count),
    );
    assert.equal(await page.locator('#volume-table').count(), 0, 'the chart replaced the plain table');
    const html = await page.content();
    const dir = em.workspace.directory;
    for (let i = 0; i < Math.min(50, dir.contactCount); i++) {
      const { email, name } = dir.contact(i);
      if (email) assert.ok(!html.includes(email), 'no customer email on the page');
      if (name) assert.ok(!html.includes(name), 'no customer name on the page');
    }
    assert.ok(!html.includes(PHRASE), 'no customer text on the page');
    await page.screenshot({ path: join(SHOTS, 'status.png'), fullPage: true });
    assert.deepEqual(errors, []);

    const noScript = await browser.newContext({
      httpCredentials: { username: 'ops', password: TOKEN },
      javaScriptEnabled: false,
    });
    const plain = await noScript.newPage();
    await plain.goto(`${base}/`);
    const rows = await plain.locator('#volume-table td:nth-child(2)').allInnerTexts();
    assert.deepEqual(
      rows.map(Number),
      week.volume.map((v: { count: number }) => v.count),
    );
    await plain.screenshot({ path: join(SHOTS, 'status-no-javascript.png'), fullPage: true });
    await context.close();
    await noScript.close();
  });

  /** The view as a host renders it: the resource read from the server, the tool's result handed over. */
  async function showInHost(tool: string, args: Record<string, unknown>, shot: string) {
    const listed = (await client.listTools()).tools.find((t) => t.name === tool)!;
    assert.equal((listed._meta as { ui?: { resourceUri?: string } })?.ui?.resourceUri, CHARTS_VIEW);
    const resource = await client.readResource({ uri: CHARTS_VIEW });
    const view = resource.contents[0] as { mimeType: string; text: string };
    assert.equal(view.mimeType, 'text/html;profile=mcp-app');
    const result = await call(tool, args);
    // Tall enough for the whole view: a full-page shot of a page scrolled past its frame left the frame's end blank.
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const errors = consoleErrors(page);
    await page.setContent(`<!doctype html><html><body><script>${host}</script></body></html>`);
    await page.evaluate(
      ([html, a, r]) =>
        (globalThis as unknown as { showAnswer: (...x: unknown[]) => Promise<void> }).showAnswer(html, a, r),
      [view.text, args, result] as const,
    );
    const frame = page.frameLocator('iframe');
    await frame.locator('canvas').first().waitFor();
    // The view reports its whole height once drawn, so a host shows it without a scroll bar.
    await page.waitForFunction('Number(document.body.dataset.viewHeight) > 400');
    return {
      result,
      frame,
      done: async () => {
        await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
        assert.deepEqual(errors, []);
        await page.close();
      },
    };
  }

  it('the view charts the themes, the planted one first, with its counts', async () => {
    const { result, frame, done } = await showInHost(
      'conversation_themes',
      { timeframe: 'last 7 days' },
      'themes.png',
    );
    await frame.locator('canvas[aria-label="Themes: conversations now and as usual"]').waitFor();
    const heads = await frame.locator('table th').allInnerTexts();
    assert.deepEqual(heads, ['theme', 'conversations now', 'usual', 'in the baseline']);
    const first = await frame.locator('table tr').nth(1).locator('td').allInnerTexts();
    const theme = result.structuredContent.themes[0];
    assert.equal(theme.term, PHRASE);
    assert.deepEqual([first[0], Number(first[1]), Number(first[3])], [PHRASE, theme.conversations, 0]);
    await done();
  });

  it('the view charts service levels by team and week, in hours', async () => {
    const { result, frame, done } = await showInHost(
      'service_levels',
      { timeframe: 'last 30 days' },
      'service-levels.png',
    );
    await frame.locator('canvas[aria-label^="First response and close by team"]').waitFor();
    await frame.locator('canvas[aria-label="Per week (hours)"]').waitFor();
    const teams = result.structuredContent.rows.filter((r: { group: string }) => r.group === 'team');
    const firstTeam = await frame.locator('table').first().locator('tr').nth(1).locator('td').allInnerTexts();
    assert.deepEqual(
      [firstTeam[0], Number(firstTeam[1]), Number(firstTeam[2])],
      [teams[0].name, teams[0].count, Math.round((teams[0].first_response_p50 / 3600) * 10) / 10],
    );
    await done();
  });

  it('the view charts the volume per day with its axis and counts', async () => {
    const { result, frame, done } = await showInHost(
      'conversation_stats',
      { timeframe: 'last 14 days' },
      'stats.png',
    );
    await frame.locator('canvas[aria-label="Conversations per day"]').waitFor();
    assert.deepEqual(await frame.locator('table th').allInnerTexts(), ['day', 'conversations']);
    // Days by date; the first, begun when the rolling window did, with the time it starts, and
    // the last, ended now, with the time it ends.
    const volume: { start: string; count: number }[] = result.structuredContent.volume;
    const days = await frame.locator('table td:nth-child(1)').allInnerTexts();
    assert.deepEqual(
      days.slice(1, -1),
      volume.slice(1, -1).map((v) => v.start.slice(0, 10)),
    );
    const [date, time] = [volume[0]!.start.slice(0, 10), volume[0]!.start.slice(11, 16)];
    assert.equal(days[0], time === '00:00' ? date : `${date} from ${time}`);
    const end = result.structuredContent.timeframe.to as string;
    const ends = end.slice(11, 16);
    assert.equal(days.at(-1), `${volume.at(-1)!.start.slice(0, 10)}${ends === '00:00' ? '' : ` to ${ends}`}`);
    const counts = await frame.locator('table td:nth-child(2)').allInnerTexts();
    assert.deepEqual(
      counts.map(Number),
      result.structuredContent.volume.map((v: { count: number }) => v.count),
    );
    await done();
  });
});

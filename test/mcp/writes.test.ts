/**
 * The write tools through real MCP clients, on both engines, against the emulator. With writes off
 * no write tool is listed, a call to one is refused naming the switch, and the whole tool suite
 * makes no write. With them on, over stdio: a preview changes nothing, confirm_write makes one write
 * the emulator records and the next answer shows, the handle used again is refused, a dry run gives
 * no handle; `audit` and the status count them. Over HTTP with OAuth: a token without the write
 * scope is refused naming it, and the refusal changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { callerOf, runToolSuite } from '../../src/integration/mcp-check.js';
import { startServeProcess } from '../../src/integration/serve-process.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { WRITE_TOOLS } from '../../src/mcp/tools/index.js';
import type { StoreTarget } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { CLI, childEnv, runCli } from '../helpers/cli.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import { startLocalIssuer } from '../helpers/local-issuer.js';

const DAYS = 10;
const WRITE_NAMES = WRITE_TOOLS.map((t) => t.name);

type Answer = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: any };

for (const engine of ENGINES)
  describe(`the write tools through MCP clients (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let target: StoreTarget;
    let env: Record<string, string>;

    before(async () => {
      em = await startEmulator({ conversations: 120, days: DAYS, seed: 'write-tools' });
      ({ store, target } = await freshStore(engine));
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: DAYS });
      env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
    });
    after(async () => {
      await store?.close();
      await em?.stop();
    });

    const writes = async (): Promise<{ route: string; applied: boolean }[]> =>
      (await control(em, 'GET', '/writes')).json.writes;

    async function stdioClient(args: string[]): Promise<Client> {
      const client = new Client({ name: 'writes', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, '--test-mode', 'start', ...args],
          env: childEnv(env),
          stderr: 'pipe',
        }),
      );
      return client;
    }
    const call = async (client: Client, name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as Answer;
    const text = (a: Answer) => a.content.map((c) => c.text ?? '').join('\n');

    it('with writes off: none listed, each refused naming the switch, and the tool suite writes nothing', async () => {
      await control(em, 'DELETE', '/writes');
      const client = await stdioClient([]);
      try {
        const listed = (await client.listTools()).tools.map((t) => t.name);
        assert.deepEqual(
          listed.filter((n) => WRITE_NAMES.includes(n)),
          [],
        );
        for (const name of WRITE_NAMES) {
          const r = await call(client, name, {
            conversation_id: em.workspace.live()[0]!.id,
            action: 'close',
          });
          assert.equal(r.isError, true, name);
          assert.match(text(r), /--allow-writes/, name);
        }
        await runToolSuite(callerOf(client), { store, days: DAYS, syncComplete: true });
      } finally {
        await client.close();
      }
      assert.deepEqual(await writes(), []);
    });

    it('over stdio: previewed, confirmed once, shown at once, audited and counted', async () => {
      await control(em, 'DELETE', '/writes');
      const client = await stdioClient(['--allow-writes', '--allow-replies']);
      try {
        const listed = (await client.listTools()).tools.map((t) => t.name);
        assert.deepEqual(
          listed.filter((n) => WRITE_NAMES.includes(n)),
          WRITE_NAMES,
        );
        const billing = em.workspace.directory.tagByName('billing');
        const id = em.workspace.live().find((s) => s.state === 'open' && !s.tagIds.includes(billing.id))!.id;
        const preview = await call(client, 'act_on_conversation', {
          conversation_id: id,
          action: 'tag',
          tag: 'billing',
        });
        assert.ok(!preview.isError, text(preview));
        assert.deepEqual(preview.structuredContent.changes, [{ field: 'tags', to: 'billing' }]);
        const handle = preview.structuredContent.handle as string;
        assert.match(text(preview), new RegExp(`confirm_write with handle ${handle}`));
        assert.deepEqual(await writes(), [], 'a preview writes nothing');
        const tagsOf = async () =>
          ((await call(client, 'get_conversation', { conversation_id: id })).structuredContent.tags ??
            []) as string[];
        assert.ok(!(await tagsOf()).includes('billing'));

        const done = await call(client, 'confirm_write', { handle });
        assert.ok(!done.isError, text(done));
        assert.equal(done.structuredContent.copy_updated, true);
        assert.deepEqual(
          (await writes()).map((w) => [w.route, w.applied]),
          [['POST /conversations/{conversation_id}/tags', true]],
        );
        assert.ok((await tagsOf()).includes('billing'), 'the next answer shows the tag');
        const again = await call(client, 'confirm_write', { handle });
        assert.equal(again.isError, true);
        assert.match(text(again), /already used/);

        const dry = await call(client, 'act_on_conversation', {
          conversation_id: id,
          action: 'snooze',
          until: 'tomorrow 9am',
          dry_run: true,
        });
        assert.ok(!dry.isError, text(dry));
        assert.equal(dry.structuredContent.dry_run, true);
        assert.equal(dry.structuredContent.handle, undefined);

        const ticket = em.workspace.tickets.live().find((t) => t.open && t.contactIds.length > 0)!;
        for (const [tool, args] of [
          ['reply_to_customer', { ticket_id: ticket.id, text: 'We are on it.' }],
          ['act_on_ticket', { ticket_id: ticket.id, action: 'state', state: 'resolved' }],
        ] as const) {
          const p = await call(client, tool, args);
          assert.ok(!p.isError, text(p));
          const c = await call(client, 'confirm_write', { handle: p.structuredContent.handle });
          assert.ok(!c.isError, text(c));
        }
        const resolved = await call(client, 'get_ticket', { ticket_id: ticket.id });
        assert.equal(resolved.structuredContent.state, 'resolved');
        assert.equal((await writes()).filter((w) => w.applied).length, 3);
        const status = await call(client, 'get_server_status', {});
        assert.deepEqual(status.structuredContent.writes, { allowed: true, done: 3, failed: 0 });
      } finally {
        await client.close();
      }
      const audit = await runCli(['audit', '--json'], childEnv(env));
      assert.equal(audit.code, 0, audit.stderr);
      const entries = JSON.parse(audit.stdout).entries as {
        action: string;
        status: string;
        principal: string;
      }[];
      assert.deepEqual(
        entries.map((e) => [e.action, e.status, e.principal]),
        [
          ['ticket.state', 'done', 'local stdio user'],
          ['ticket.reply', 'done', 'local stdio user'],
          ['conversation.tag', 'done', 'local stdio user'],
        ],
      );
      const listing = await runCli(['audit'], childEnv(env));
      assert.match(
        listing.stdout,
        /^#\d+ \S+ done\s+conversation\.tag on conversation \d+ by local stdio user\n {4}tags: \(none\) → billing/m,
      );
      const statusText = await runCli(['status'], childEnv(env));
      assert.match(statusText.stdout, /Writes: +3 writes made to Intercom/);
    });

    it('over HTTP with OAuth: a token without the write scope is refused naming it, one with it writes', async () => {
      const PUBLIC = 'http://localhost:9443/mcp';
      const issuer = await startLocalIssuer(PUBLIC);
      const serve = await startServeProcess(target.workspaceDir, env, undefined, [
        '--oauth-issuer',
        issuer.url,
        '--public-url',
        PUBLIC,
        '--allow-writes',
      ]);
      try {
        const metadata = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', serve.url));
        const offered = ((await metadata.json()) as { scopes_supported?: string[] }).scopes_supported;
        assert.deepEqual(offered, ['intercom:write'], 'offered to clients');
        await control(em, 'DELETE', '/writes');
        const id = em.workspace.live().find((s) => s.state === 'open')!.id;
        const args = { conversation_id: id, action: 'note', text: 'Seen by the agent' };
        const reader = await serve.connect(await issuer.token({ sub: 'reader@example.com', scope: 'mcp' }));
        try {
          const refused = await call(reader, 'act_on_conversation', args);
          assert.equal(refused.isError, true);
          assert.match(
            text(refused),
            /needs the 'write' permission, which your access token does not carry \(OAuth scope intercom:write\)/,
          );
        } finally {
          await reader.close();
        }
        const agent = await serve.connect(
          await issuer.token({ sub: 'agent@example.com', scope: 'mcp intercom:write' }),
        );
        try {
          const p = await call(agent, 'act_on_conversation', args);
          assert.ok(!p.isError, text(p));
          const done = await call(agent, 'confirm_write', { handle: p.structuredContent.handle });
          assert.ok(!done.isError, text(done));
        } finally {
          await agent.close();
        }
        assert.deepEqual(
          (await writes()).map((w) => [w.route, w.applied]),
          [['POST /conversations/{conversation_id}/reply', true]],
        );
        const [entry] = (await store.auditEntries({ limit: 1, previews: false }))!;
        assert.equal(entry!.principal, `${issuer.url} agent@example.com`);
      } finally {
        await serve.stop();
        issuer.close();
      }
    });
  });

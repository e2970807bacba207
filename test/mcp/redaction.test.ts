/**
 * `--redact emails,phones,cards` on both engines: the integration test's whole tool suite, every
 * resource and a refusal, through a real client, and not one of the emulator's customer emails nor
 * the phone and card numbers planted in messages appears in any answer, while the placeholders do.
 * The copy itself keeps them (masking is at answer time).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runToolSuite } from '../../src/integration/mcp-check.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { CLI, childEnv } from '../helpers/cli.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';

const DAYS = 10;
const PHONES = ['+1 415-555-0199', '020 7946 0958'];
const CARDS = ['4242 4242 4242 4242', '5555-5555-5555-4444'];

for (const engine of ENGINES)
  describe(`customers' personal data masked in every answer (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let client: Client;
    let planted: string[];
    const emails = new Set<string>();

    before(async () => {
      em = await startEmulator({ conversations: 120, days: DAYS, seed: 'redaction' });
      planted = [];
      for (const [i, phone] of PHONES.entries()) {
        const body = `Please call me on ${phone}; my card ${CARDS[i]} was charged twice.`;
        planted.push((await control(em, 'POST', '/conversations', { body, contactIndex: i })).json.id);
      }
      for (const { email } of em.workspace.directory.contacts()) if (email) emails.add(email.toLowerCase());
      const fresh = await freshStore(engine);
      store = fresh.store;
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: DAYS });
      client = new Client({ name: 'redaction', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, '--test-mode', 'start', '--redact', 'emails,phones,cards'],
          env: childEnv({
            INTERCOM_API_BASE_URL: em.url,
            INTERCOM_ACCESS_TOKEN: em.token,
            ...targetEnv(fresh.target),
          }),
          stderr: 'pipe',
        }),
      );
    });
    after(async () => {
      await client?.close();
      await store?.close();
      await em?.stop();
    });

    it('answers every tool, resource and refusal without them', async () => {
      const answers: string[] = [];
      const record = async (name: string, args: Record<string, unknown>, timeoutMs?: number) => {
        const r = await client.callTool(
          { name, arguments: args },
          timeoutMs ? { timeout: timeoutMs } : undefined,
        );
        answers.push(JSON.stringify(r));
        return r;
      };
      await runToolSuite(record, { store, days: DAYS, syncComplete: true });
      for (const id of planted) await record('get_conversation', { conversation_id: id });
      await record('search_conversations', { query: 'charged twice', limit: 5 });
      const someone = [...emails][0]!;
      await record('get_contact', { contact: someone });
      await record('search_conversations', { customer_email: someone, limit: 5 });
      for (const uri of [`intercom://conversations/${planted[0]}`, 'intercom://workspace'])
        answers.push(JSON.stringify(await client.readResource({ uri })));

      const all = answers.join('\n').toLowerCase();
      const leaks = [
        ...[...emails].filter((e) => all.includes(e)),
        ...[...PHONES, ...CARDS].filter((p) => all.includes(p.toLowerCase())),
      ];
      assert.deepEqual(leaks, []);
      // They were there to leak: the answers name them by placeholder.
      for (const placeholder of ['[email 1]', '[phone 1]', '[phone 2]', '[card 1]', '[card 2]'])
        assert.ok(all.includes(placeholder), `${placeholder} in some answer`);
    });

    it('keeps them in the copy, where only the answers are masked', async () => {
      const c = await store.getConversation(planted[0]!);
      assert.ok(JSON.stringify(c).includes(PHONES[0]!));
    });
  });

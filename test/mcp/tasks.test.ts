/**
 * Long syncs as tasks on the 2026-07-28 wire, each answer checked against the Tasks extension's own
 * schemas (@modelcontextprotocol/ext-tasks): the server declares the extension; a sync_conversations
 * call that declares it gets a task at once, which tasks/get follows to the sync's whole answer, on
 * this server and on another one of the same copy; tasks/cancel stops a sync held mid-run, and
 * another server of the copy says it cannot. A call without the extension is answered as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelTaskResultV2Schema,
  CreateTaskResultV2Schema,
  GetTaskResultV2Schema,
  TASKS_EXTENSION_ID_V2,
} from '@modelcontextprotocol/ext-tasks/core/v2';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { tempWorkspace } from '../helpers/cli.js';
import { control, untilInjected } from '../helpers/http.js';
import { modernPost } from '../helpers/modern-post.js';

const TOKEN = 'tasks-test-token-123456';
const TASKS = { extensions: { [TASKS_EXTENSION_ID_V2]: {} } };

describe('long syncs as tasks (2026-07-28)', () => {
  let em: RunningEmulator;
  let serve: ServeProcess;
  let replica: ServeProcess;

  before(async () => {
    em = await startEmulator({ conversations: 150, days: 10, seed: 'tasks' });
    const workspace = tempWorkspace();
    const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url };
    serve = await startServeProcess(workspace, env, TOKEN);
    replica = await startServeProcess(workspace, env, TOKEN);
  });
  after(async () => {
    await serve?.stop();
    await replica?.stop();
    await em?.stop();
  });

  const call = (
    server: ServeProcess,
    args: Record<string, unknown>,
    capabilities: Record<string, unknown> = TASKS,
  ) =>
    modernPost(
      server.url,
      TOKEN,
      'tools/call',
      { name: 'sync_conversations', arguments: args },
      { 'Mcp-Method': 'tools/call', 'Mcp-Name': 'sync_conversations' },
      capabilities,
    );
  const task = (server: ServeProcess, method: 'tasks/get' | 'tasks/cancel', taskId: string) =>
    modernPost(server.url, TOKEN, method, { taskId }, { 'Mcp-Method': method, 'Mcp-Name': taskId }, TASKS);

  /** Polls as a client does until the task leaves `working`; the sync's end is what ends it. */
  async function settled(server: ServeProcess, taskId: string) {
    for (;;) {
      const r = await task(server, 'tasks/get', taskId);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const parsed = GetTaskResultV2Schema.safeParse(r.body.result);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues ?? r.body));
      if (r.body.result.status !== 'working') return r.body.result;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('declares the extension', async () => {
    const r = await modernPost(serve.url, TOKEN, 'server/discover', {}, { 'Mcp-Method': 'server/discover' });
    assert.deepEqual(r.body.result.capabilities.extensions[TASKS_EXTENSION_ID_V2], {});
  });

  it('answers a call that declares the extension with a task, followed to the sync’s answer on any server of the copy', async () => {
    const created = await call(serve, { days: 10 });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const parsed = CreateTaskResultV2Schema.safeParse(created.body.result);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues ?? created.body));
    assert.equal(created.body.result.resultType, 'task');
    assert.equal(created.body.result.status, 'working');
    const done = await settled(serve, created.body.result.taskId);
    assert.equal(done.status, 'completed');
    assert.equal(done.result.structuredContent.status, 'finished');
    assert.equal(done.result.structuredContent.fetched, em.workspace.live().length);
    assert.match(done.result.content[0].text, /Sync finished/);
    const elsewhere = await task(replica, 'tasks/get', created.body.result.taskId);
    assert.equal(elsewhere.body.result.status, 'completed', 'another server of the copy answers it too');
    assert.deepEqual(elsewhere.body.result.result, done.result);
    const unknown = await task(serve, 'tasks/get', 'no-such-task');
    assert.equal(unknown.body.error.code, -32602);
  });

  it('answers a call without the extension as before, with the sync’s result', async () => {
    const r = await call(serve, { wait_seconds: 60 }, {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.result.resultType, 'complete');
    assert.equal(r.body.result.structuredContent.status, 'finished');
  });

  it('stops a sync with tasks/cancel; another server of the copy cannot, and says so', async () => {
    await control(em, 'POST', '/faults/scripted', { route: 'GET /conversations/{id}', kind: 'hang' });
    const created = await call(serve, { days: 10, force: true });
    const taskId = created.body.result.taskId as string;
    await untilInjected(em, 1);
    const working = await task(serve, 'tasks/get', taskId);
    assert.equal(working.body.result.status, 'working');
    const refused = await task(replica, 'tasks/cancel', taskId);
    assert.equal(refused.body.error.code, -32602);
    assert.match(refused.body.error.message, /runs on another server of this copy/);
    const cancelled = await task(serve, 'tasks/cancel', taskId);
    assert.ok(
      CancelTaskResultV2Schema.safeParse(cancelled.body.result).success,
      JSON.stringify(cancelled.body),
    );
    const after = await settled(serve, taskId);
    assert.equal(after.status, 'cancelled');
    const again = await task(serve, 'tasks/cancel', taskId);
    assert.match(again.body.error.message, /is cancelled: nothing to cancel/);
    await control(em, 'DELETE', '/faults');
  });
});

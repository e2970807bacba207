/**
 * Long syncs as tasks (the Tasks extension, `io.modelcontextprotocol/tasks`, on 2026-07-28): a
 * client that declares the extension in a `sync_conversations` call gets a task at once instead of
 * waiting, then polls `tasks/get` until the sync's answer is there, or stops it with
 * `tasks/cancel`. A client without the extension gets progress notifications, as before.
 *
 * The tasks are kept in the copy (one meta value, the last few), not in this process: `tasks/get`
 * answers on any server of a shared copy, as a stateless client's next request may reach another
 * replica. The sync itself runs on the server that took the call, which alone can stop it; another
 * replica answers `tasks/cancel` with an error saying so.
 */
import { randomUUID } from 'node:crypto';
import {
  ProtocolError,
  ProtocolErrorCode,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { McpDeps } from './deps.js';
import type { CallResult } from './tool-result.js';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const META_KEY = 'sync_tasks';
/** How long a task is kept after it was made, and how many. */
const TTL_MS = 60 * 60 * 1000;
const KEPT = 20;
const POLL_INTERVAL_MS = 2000;
/** The longest one tools/call may wait: a task's sync is awaited in turns of it. */
const TURN_SECONDS = 300;

type Status = 'working' | 'completed' | 'cancelled';

interface TaskRecord {
  taskId: string;
  status: Status;
  createdAt: string;
  lastUpdatedAt: string;
  statusMessage?: string;
  result?: CallResult;
}

type ToolCall = {
  params: { name: string; arguments?: Record<string, unknown> };
};
type Handler = (request: ToolCall, ctx: ServerContext) => Promise<Record<string, unknown>>;

/** The client declares the extension (a 2026-07-28 request carries its capabilities in `_meta`). */
export function wantsTask(capabilities: { extensions?: Record<string, unknown> } | undefined): boolean {
  const declared = capabilities?.extensions?.[TASKS_EXTENSION];
  return typeof declared === 'object' && declared !== null && !Array.isArray(declared);
}

async function readTasks(deps: McpDeps): Promise<TaskRecord[]> {
  const raw = await deps.store.getMeta(META_KEY);
  const now = Date.now();
  return raw ? (JSON.parse(raw) as TaskRecord[]).filter((t) => now - Date.parse(t.createdAt) < TTL_MS) : [];
}

async function saveTask(deps: McpDeps, task: TaskRecord): Promise<void> {
  const others = (await readTasks(deps)).filter((t) => t.taskId !== task.taskId);
  await deps.store.setMeta(META_KEY, JSON.stringify([task, ...others].slice(0, KEPT)));
}

const wire = (t: TaskRecord) => ({
  taskId: t.taskId,
  status: t.status,
  createdAt: t.createdAt,
  lastUpdatedAt: t.lastUpdatedAt,
  ttlMs: TTL_MS,
  pollIntervalMs: POLL_INTERVAL_MS,
  ...(t.statusMessage ? { statusMessage: t.statusMessage } : {}),
});

/** This server's running tasks, which it alone can stop. */
const running = new Map<string, AbortController>();

/**
 * Serves `sync_conversations` as a task to the clients that ask, and `tasks/get` and
 * `tasks/cancel`; `standard` is the SDK's own tools/call handler, which answers every other call.
 */
export function serveSyncTasks(server: McpServer, deps: McpDeps): void {
  const inner = server.server;
  // The SDK's handler, kept to answer every call that is not a task: read through the accessor
  // its role classes use for the same purpose.
  const standard = (
    inner as unknown as { _getRequestHandler(m: string): Handler | undefined }
  )._getRequestHandler('tools/call')!;
  inner.setRequestHandler('tools/call', (async (request: ToolCall, ctx: ServerContext) => {
    if (request.params.name !== 'sync_conversations' || !wantsTask(inner.getClientCapabilities()))
      return standard(request, ctx);
    const now = new Date().toISOString();
    const task: TaskRecord = {
      taskId: randomUUID(),
      status: 'working',
      createdAt: now,
      lastUpdatedAt: now,
      statusMessage: 'Syncing from Intercom',
    };
    await saveTask(deps, task);
    const stop = new AbortController();
    running.set(task.taskId, stop);
    void (async () => {
      let result: CallResult;
      // Each turn waits up to its longest; a sync still running is awaited again, not started twice.
      do {
        const args = { ...request.params.arguments, wait_seconds: TURN_SECONDS };
        result = (await standard(
          { ...request, params: { ...request.params, arguments: args } },
          ctx,
        )) as unknown as CallResult;
      } while (!stop.signal.aborted && !result.isError && result.structuredContent?.status === 'running');
      running.delete(task.taskId);
      if (stop.signal.aborted) return;
      await saveTask(deps, { ...task, status: 'completed', lastUpdatedAt: new Date().toISOString(), result });
    })().catch((e: unknown) => deps.logger.error(`sync task ${task.taskId}: ${(e as Error).message}`));
    return { resultType: 'task', ...wire(task) };
  }) as never);
  const taskId = { params: z.object({ taskId: z.string().min(1).max(100) }) };
  const find = async (id: string) => {
    const task = (await readTasks(deps)).find((t) => t.taskId === id);
    if (!task)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `No task ${id.slice(0, 100)}: unknown, or expired`,
      );
    return task;
  };
  inner.setRequestHandler('tasks/get', taskId, async ({ taskId: id }) => {
    const task = await find(id);
    const progress = running.has(id) ? deps.sync.running?.progress : undefined;
    return {
      ...wire(
        progress ? { ...task, statusMessage: `${progress.done}/${progress.total} conversations` } : task,
      ),
      ...(task.status === 'completed' ? { result: task.result } : {}),
    } as never;
  });
  inner.setRequestHandler('tasks/cancel', taskId, async ({ taskId: id }) => {
    const task = await find(id);
    if (task.status !== 'working')
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Task ${id} is ${task.status}: nothing to cancel`,
      );
    const stop = running.get(id);
    if (!stop)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Task ${id} runs on another server of this copy, which alone can stop it`,
      );
    stop.abort();
    running.delete(id);
    deps.sync.cancel();
    await saveTask(deps, {
      ...task,
      status: 'cancelled',
      lastUpdatedAt: new Date().toISOString(),
      statusMessage: 'Cancelled: the sync stops at its next checkpoint, and the next one resumes from there',
    });
    return {} as never;
  });
  inner.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
}

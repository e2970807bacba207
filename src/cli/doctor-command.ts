/** `fast-intercom-mcp doctor`: is this machine set up to mirror and serve a workspace? One line per check. */
import { asInvoked } from '../wording.js';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { PACKAGE_VERSION } from '../package-root.js';
import { engineOf } from '../store/open.js';
import { contextFrom, guarded } from './context.js';
import {
  checkClients,
  checkDatabase,
  checkIntercomReach,
  checkNativeModule,
  checkNode,
  checkToken,
  checkWorkspaceFiles,
  type CheckResult,
  type CheckStatus,
} from './doctor/checks.js';
import { printOutput } from './output.js';

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export function formatCheck(c: CheckResult): string {
  return `${MARK[c.status]} ${`${c.name}:`.padEnd(15)}${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check this set-up (Node.js, native module, token, network, workspace, database, clients), each with its fix',
    )
    .option('--json', 'print the checks as JSON')
    .action(
      guarded(async (opts: { json?: boolean }, cmd: Command) => {
        const ctx = contextFrom(cmd);
        const native = checkNativeModule();
        const checks: CheckResult[] = [checkNode(), native];
        checks.push(...(await checkIntercomReach(ctx.settings.baseUrl)));
        checks.push(...(await checkToken(ctx.settings)));
        checks.push(checkWorkspaceFiles(ctx.settings));
        checks.push(
          native.status === 'ok' || !engineOf(ctx.settings.store).nativeModule
            ? await checkDatabase(ctx.settings)
            : { name: 'Database', status: 'skip', detail: 'the SQLite module does not load' },
        );
        checks.push(...checkClients(homedir(), process.cwd()));
        for (const c of checks) if (c.fix) c.fix = asInvoked(c.fix, ctx.invocation);
        const failed = checks.filter((c) => c.status === 'fail').length;
        if (opts.json)
          printOutput({
            version: PACKAGE_VERSION,
            workspace: ctx.settings.paths.dir,
            ok: failed === 0,
            checks,
          });
        else
          printOutput(
            [
              `fast-intercom-mcp ${PACKAGE_VERSION} doctor, workspace ${ctx.settings.paths.dir}`,
              ...checks.map(formatCheck),
              failed === 0 ? 'All checks passed.' : `${failed} of ${checks.length} checks failed.`,
            ].join('\n'),
          );
        if (failed > 0) process.exitCode = 1;
      }),
    );
}

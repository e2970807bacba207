/** `fast-intercom-mcp logs`: the end of the workspace's log file, optionally followed. */
import {
  existsSync,
  readFileSync,
  statSync,
  watchFile,
  unwatchFile,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import type { Command } from 'commander';
import { contextFrom, guarded, requireWorkspace } from './context.js';
import { intOption } from './options.js';

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description('show the log file (<workspace>/logs/fast-intercom-mcp.log)')
    .option('--lines <n>', 'how many of the last lines to show', intOption, 50)
    .option('--follow', 'keep printing new lines as they are written')
    .action(
      guarded(async (opts: { lines: number; follow?: boolean }, cmd: Command) => {
        const ctx = contextFrom(cmd);
        requireWorkspace(ctx);
        const file = ctx.settings.paths.logFile;
        if (!existsSync(file)) {
          console.log(`No log yet at ${file}.`);
          if (!opts.follow) return;
        }
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        const lines = text.split('\n').filter(Boolean);
        for (const line of lines.slice(-opts.lines)) console.log(line);
        if (!opts.follow) return;
        let offset = existsSync(file) ? statSync(file).size : 0;
        await new Promise<void>((resolve) => {
          watchFile(file, { interval: 250 }, (cur) => {
            if (cur.size < offset) offset = 0;
            if (cur.size === offset) return;
            const fd = openSync(file, 'r');
            const buf = Buffer.alloc(cur.size - offset);
            readSync(fd, buf, 0, buf.length, offset);
            closeSync(fd);
            offset = cur.size;
            process.stdout.write(buf.toString('utf8'));
          });
          const stop = () => {
            unwatchFile(file);
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}

/**
 * Imported first by the command line, before any module that allocates as it loads (the
 * tokenizer's 100k-entry vocabulary is the largest), because every command, the servers included,
 * should keep V8's young generation at its starting size. V8 otherwise doubles it whenever enough
 * of it survives a scavenge, to 16 MB per semi-space on Node 20, and never gives it back: 30 MB
 * resident that is mostly empty between a server's answers or a sync's pages. Smaller, more
 * frequent scavenges cost less than that (docs/performance.md has the figures).
 *
 * `--max-semi-space-size` would say this at start-up, but only on the command line, which MCP
 * clients and npm own (`npx fast-intercom-mcp start`); V8 reads the growth factor each time it would
 * grow the young generation, so it holds when set by the running process.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');

/**
 * Loaded with `node --import` into a process the benchmark measures: on exit it prints the
 * process's peak resident memory, which only the process itself can read portably.
 */
process.on('exit', () => process.stderr.write(`\npeak-rss-kb=${process.resourceUsage().maxRSS}\n`));

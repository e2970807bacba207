/**
 * ./scripts/weekly_integration_check.sh: the integration test as a weekly health check. It runs the
 * test (--days, 7 by default), keeps its JSON report in the reports folder (--reports, else
 * `reports/` of the test workspace) for generate_integration_report.sh, and compares its figures
 * with the last kept report. Its exit code is the test's: 0 PASSED, 2 PARTIAL, 1 FAILED.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { IntegrationReport } from '../../src/integration/report.js';
import { CLI } from '../../test/helpers/cli.js';
import { options } from './harness.js';
import { figure, keptReports, reportFile, reportsDir, trends } from './integration-history.js';

const opts = options({ days: 7, reports: '' });
const dir = reportsDir(opts.reports);
mkdirSync(dir, { recursive: true, mode: 0o700 });
const previous = keptReports(dir, new Date(0)).reports.at(-1);
const file = reportFile(dir, new Date());
const run = spawnSync(
  process.execPath,
  [CLI, 'integration-test', '--days', String(opts.days), '--performance-report', '--output', file],
  { stdio: 'inherit' },
);
const out = (line: string) => process.stdout.write(`${line}\n`);
out('');
out('📅 Weekly integration check');
if (!existsSync(file)) {
  out(`❌ the integration test kept no report (exit ${run.status}); nothing was added to ${dir}`);
  process.exit(run.status || 1);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as IntegrationReport;
out(`   Verdict: ${report.verdict}; report kept at ${file}`);
if (previous) {
  out(`   Against the last kept run (${previous.report.startedAt}, ${previous.report.verdict}):`);
  for (const t of trends([previous.report, report]))
    if (t.runs === 2) out(`     ${t.label}: ${figure(t.first, t.unit)} → ${figure(t.last, t.unit)}`);
} else out('   The first kept run: later checks compare with it.');
process.exit(run.status ?? 1);

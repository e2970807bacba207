/**
 * ./scripts/generate_integration_report.sh --last-30-days: the integration test's kept reports of
 * the period (those weekly_integration_check.sh keeps) merged into one trend report: the runs and
 * their verdicts, and each figure's first, last, lowest, highest and median; as text, and as JSON
 * with --output. Fails when the period holds no report.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { options, runChecks } from './harness.js';
import { figure, keptReports, reportsDir, trends } from './integration-history.js';

const opts = options({ 'last-30-days': false, days: 30, reports: '', output: '' });
const days = opts['last-30-days'] ? 30 : opts.days;

await runChecks(`Integration trend report, last ${days} days`, async ({ ok, info }) => {
  const dir = reportsDir(opts.reports);
  const since = new Date(Date.now() - days * 86400_000);
  const { reports, unreadable } = keptReports(dir, since);
  if (unreadable.length) info(`Not reports, left out: ${unreadable.join(', ')}`);
  ok(
    reports.length > 0,
    `${reports.length} kept integration reports since ${since.toISOString().slice(0, 10)} in ${dir}`,
    reports.length ? '' : 'run ./scripts/weekly_integration_check.sh to keep one',
  );
  const verdicts = new Map<string, number>();
  for (const { report } of reports) verdicts.set(report.verdict, (verdicts.get(report.verdict) ?? 0) + 1);
  info(`Verdicts: ${[...verdicts].map(([v, n]) => `${n} ${v}`).join(', ')}`);
  info('Runs:');
  for (const { file, report } of reports)
    info(
      `  ${report.startedAt.slice(0, 16).replace('T', ' ')}  ${report.verdict.padEnd(8)} ${report.mode.padEnd(9)} ${basename(file)}`,
    );
  const figures = trends(reports.map((r) => r.report));
  info('Figures (first → last; lowest, median, highest):');
  for (const t of figures)
    info(
      `  ${t.label}: ${figure(t.first, t.unit)} → ${figure(t.last, t.unit)}; ${figure(t.min, t.unit)}, ${figure(t.median, t.unit)}, ${figure(t.max, t.unit)} over ${t.runs} runs`,
    );
  if (opts.output) {
    writeFileSync(
      opts.output,
      `${JSON.stringify(
        {
          since: since.toISOString(),
          reports: reports.map(({ file, report }) => ({
            file: basename(file),
            startedAt: report.startedAt,
            verdict: report.verdict,
            mode: report.mode,
          })),
          verdicts: Object.fromEntries(verdicts),
          figures,
        },
        null,
        2,
      )}\n`,
    );
    info(`JSON: ${opts.output}`);
  }
});

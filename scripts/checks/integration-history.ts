/**
 * The integration test's kept reports: where they are kept, and read back as a trend. The weekly
 * check keeps one JSON report a run; generate_integration_report.sh merges those of a period.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import type { IntegrationReport } from '../../src/integration/report.js';

/** `reports/` in the test workspace (FASTINTERCOM_TEST_WORKSPACE, else ~/.fast-intercom-mcp-test). */
export function reportsDir(given: string): string {
  return given || join(resolveWorkspace({ testMode: true }).dir, 'reports');
}

export const reportFile = (dir: string, at: Date) =>
  join(dir, `integration-${at.toISOString().replace(/[:.]/g, '-')}.json`);

export interface KeptReport {
  file: string;
  report: IntegrationReport;
}

/** The kept reports started at or after `since`, oldest first; unreadable files are named, not fatal. */
export function keptReports(dir: string, since: Date): { reports: KeptReport[]; unreadable: string[] } {
  const reports: KeptReport[] = [];
  const unreadable: string[] = [];
  if (!existsSync(dir)) return { reports, unreadable };
  for (const name of readdirSync(dir).filter((n) => /^integration-.*\.json$/.test(n))) {
    const file = join(dir, name);
    try {
      const report = JSON.parse(readFileSync(file, 'utf8')) as IntegrationReport;
      if (typeof report.verdict !== 'string' || typeof report.startedAt !== 'string')
        throw new Error('not a report');
      if (Date.parse(report.startedAt) >= since.getTime()) reports.push({ file, report });
    } catch {
      unreadable.push(name);
    }
  }
  reports.sort((a, b) => Date.parse(a.report.startedAt) - Date.parse(b.report.startedAt));
  return { reports, unreadable };
}

/** The figures a trend follows, with how each reads. */
export const TREND_FIGURES: [key: string, label: string, unit: string][] = [
  ['conversations', 'Conversations synced', ''],
  ['syncConversationsPerSecond', 'Sync speed', ' conv/s'],
  ['apiCallsPerConversation', 'API calls per conversation', ''],
  ['searchAverageMs', 'search_conversations average', ' ms'],
  ['getConversationAverageMs', 'get_conversation average', ' ms'],
  ['statusAverageMs', 'get_server_status average', ' ms'],
  ['toolP95Ms', 'MCP tool p95', ' ms'],
  ['syncPeakRssMb', 'Sync peak memory', ' MB'],
  ['serverPeakRssMb', 'Server peak memory', ' MB'],
];

export interface FigureTrend {
  key: string;
  label: string;
  unit: string;
  first: number;
  last: number;
  min: number;
  max: number;
  median: number;
  runs: number;
}

export function trends(reports: IntegrationReport[]): FigureTrend[] {
  const out: FigureTrend[] = [];
  for (const [key, label, unit] of TREND_FIGURES) {
    const values = reports
      .map((r) => r.metrics[key])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length === 0) continue;
    const sorted = [...values].sort((a, b) => a - b);
    out.push({
      key,
      label,
      unit,
      first: values[0]!,
      last: values.at(-1)!,
      min: sorted[0]!,
      max: sorted.at(-1)!,
      median: sorted[Math.floor((sorted.length - 1) / 2)]!,
      runs: values.length,
    });
  }
  return out;
}

const round = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
export const figure = (v: number, unit: string) => `${round(v)}${unit}`;

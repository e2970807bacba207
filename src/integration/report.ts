/**
 * The integration test report: sections of checked items in the layout of the procedures document
 * (Environment, API Connection, Data Sync, Data Integrity, MCP Server, Performance, Cleanup), the
 * verdict its success criteria give, and a JSON twin with the same content.
 */
import { count } from '../wording.js';

/** pass ✅, warn ⚠️ (works, needs investigation), fail ❌, skip (not run because an earlier step failed). */
export type Mark = 'pass' | 'warn' | 'fail' | 'skip' | 'info';
export type Verdict = 'PASSED' | 'PARTIAL' | 'FAILED';

export interface ReportItem {
  label: string;
  mark: Mark;
  value: string;
  /** The target a measured figure is held to, shown beside it. */
  target?: string;
  /** Lines shown under the item: the cause of a failure, examples of a warning. */
  details?: string[];
}

export interface ReportSection {
  title: string;
  items: ReportItem[];
}

export interface Advice {
  heading: string;
  actions: string[];
}

export interface IntegrationReport {
  verdict: Verdict;
  mode: 'emulator' | 'intercom';
  apiBaseUrl: string;
  startedAt: string;
  durationMs: number;
  sections: ReportSection[];
  /** "Required Actions" for a failure, "Recommended Actions" / "Investigation Required" for warnings. */
  advice: Advice[];
  /** The measured figures, for machines: the JSON twin's stable part. */
  metrics: Record<string, number | null>;
  /** Present when FASTINTERCOM_TEST_TIMEOUT ended the run (the failure item says so too). */
  timedOutAfterSeconds?: number;
}

export const SECTION_ORDER = [
  'Environment',
  'API Connection',
  'Data Sync',
  'Data Integrity',
  'MCP Server',
  'Performance',
  'Cleanup',
] as const;
export type SectionTitle = (typeof SECTION_ORDER)[number];

/** The worst of some items: a failure outweighs a warning, which outweighs anything else. */
export function worstMark(items: ReportItem[]): 'fail' | 'warn' | 'pass' {
  const marks = items.map((i) => i.mark);
  return marks.includes('fail') ? 'fail' : marks.includes('warn') ? 'warn' : 'pass';
}

/** Any failed item fails the run; otherwise any warning makes it partial (the seed's criteria). */
export function verdictOf(sections: ReportSection[]): Verdict {
  const VERDICT = { fail: 'FAILED', warn: 'PARTIAL', pass: 'PASSED' } as const;
  return VERDICT[worstMark(sections.flatMap((s) => s.items))];
}

export const EXIT_FOR_VERDICT: Record<Verdict, number> = { PASSED: 0, FAILED: 1, PARTIAL: 2 };

export const ICON: Record<Mark, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', info: '' };
const RULE = '='.repeat(80);

function tree(items: { head: string; details?: string[] }[]): string[] {
  return items.flatMap((item, i) => {
    const last = i === items.length - 1;
    return [
      `${last ? '└──' : '├──'} ${item.head}`,
      ...(item.details ?? []).map(
        (d, j, all) => `${last ? '    ' : '│   '}${j === all.length - 1 ? '└──' : '├──'} ${d}`,
      ),
    ];
  });
}

const itemHead = (i: ReportItem) =>
  `${i.label}: ${ICON[i.mark] ? `${ICON[i.mark]} ` : ''}${i.value}${i.target ? ` (target: ${i.target})` : ''}`;

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${(ms / 1000).toFixed(1)}s`;
}

const VERDICT_LINE: Record<Verdict, string> = {
  PASSED: '✅ PASSED',
  PARTIAL: '⚠️ PARTIAL (needs investigation)',
  FAILED: '❌ FAILED',
};

export function renderReport(report: IntegrationReport): string {
  const out = ['🔍 FastIntercom MCP Integration Test Report', RULE];
  if (report.verdict === 'FAILED') {
    out.push(`Integration Test Result: ${VERDICT_LINE.FAILED}`, '', 'Failures:');
    const failed = report.sections.flatMap((s) =>
      s.items
        .filter((i) => i.mark === 'fail' || i.mark === 'skip')
        .map((i) => ({ head: `${s.title} – ${itemHead(i)}`, ...(i.details ? { details: i.details } : {}) })),
    );
    out.push(...tree(failed), '');
  }
  for (const section of report.sections) {
    if (section.items.length === 0) continue;
    out.push(
      `${section.title}:`,
      ...tree(
        section.items.map((i) => ({ head: itemHead(i), ...(i.details ? { details: i.details } : {}) })),
      ),
      '',
    );
  }
  for (const advice of report.advice) {
    out.push(`${advice.heading}:`, ...advice.actions.map((a, i) => `${i + 1}. ${a}`), '');
  }
  out.push(
    RULE,
    `Integration Test Result: ${VERDICT_LINE[report.verdict]}`,
    `Mode: ${report.mode === 'emulator' ? 'built-in Intercom emulator (no INTERCOM_ACCESS_TOKEN)' : 'Intercom API'} at ${report.apiBaseUrl}`,
    `Test Duration: ${formatDuration(report.durationMs)}`,
    `Report Generated: ${new Date(Date.parse(report.startedAt) + report.durationMs)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}`,
    RULE,
  );
  return out.join('\n');
}

/** The seed's `--performance-report` block: the headline figures as one small tree. */
export function renderPerformanceSummary(report: IntegrationReport): string {
  const m = report.metrics;
  const fmt = (v: number | null | undefined, unit: string, digits = 1) =>
    v === null || v === undefined ? 'n/a' : `${v.toFixed(digits)}${unit}`;
  return [
    'Performance Metrics:',
    ...tree([
      { head: `Sync Speed: ${fmt(m.syncConversationsPerSecond, ' conversations/sec')}` },
      { head: `Message Processing: ${fmt(m.syncMessagesPerSecond, ' messages/sec')}` },
      {
        head: `Query Response: ${fmt(m.queryAverageMs, 'ms', 2)} average, ${fmt(m.queryP95Ms, 'ms', 2)} p95`,
      },
      {
        head: `Memory Usage: ${fmt(m.syncPeakRssMb, 'MB', 0)} peak (sync), ${fmt(m.serverPeakRssMb, 'MB', 0)} (server)`,
      },
      {
        head: `Database Size: ${fmt(m.databaseBytes === null || m.databaseBytes === undefined ? null : m.databaseBytes / 1e6, 'MB')} (${count(m.conversations ?? 0, 'conversation')}, ${fmt(m.bytesPerConversation === null || m.bytesPerConversation === undefined ? null : m.bytesPerConversation / 1e3, 'KB')} each)`,
      },
      { head: `API Efficiency: ${fmt(m.apiCallsPerConversation, ' calls per conversation', 3)}` },
    ]),
  ].join('\n');
}

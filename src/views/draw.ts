/**
 * The charts people look at, drawn in the browser from an answer's structured content: volume over
 * time (conversation_stats, the status page), first response and close by team with the weekly
 * trend (service_levels), and themes now against their usual share (conversation_themes). Each
 * chart comes with a table of the same numbers: readable without the chart, by a screen reader,
 * and with JavaScript off where the page is served whole.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { bucketLabels } from './bucket-label.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export interface VolumePoint {
  start: string;
  count: number;
}
interface LevelsRow {
  group: string;
  name: string;
  count: number;
  first_response_p50?: number;
  first_response_p90?: number;
  close_p50?: number;
  close_p90?: number;
}
interface ThemeRow {
  term: string;
  conversations: number;
  baseline_conversations: number;
}
export interface Answer {
  volume?: VolumePoint[];
  bucket?: string;
  rows?: LevelsRow[];
  themes?: ThemeRow[];
  conversations?: number;
  baseline_conversations?: number;
  of?: string;
  /** The window the answer covers: its last bucket ends at `to`. */
  timeframe?: { to: string };
}

const COLORS = ['#2563eb', '#f59e0b', '#10b981', '#ef4444'];
const hours = (s: number | undefined) => (s === undefined ? null : Math.round((s / 3600) * 10) / 10);

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A table of the chart's numbers: a header row, then one row per label. */
function table(caption: string, head: string[], rows: (string | number | null)[][]): HTMLTableElement {
  const t = element('table');
  t.append(element('caption', caption));
  const tr = element('tr');
  for (const h of head) tr.append(element('th', h));
  t.append(tr);
  for (const r of rows) {
    const row = element('tr');
    for (const cell of r) row.append(element('td', cell === null ? '–' : String(cell)));
    t.append(row);
  }
  return t;
}

/** One titled figure: the chart, labelled for assistive technology, and its table. */
function figure(
  root: HTMLElement,
  title: string,
  config: ChartConfiguration,
  numbers: HTMLTableElement,
): void {
  const section = element('section');
  section.append(element('h2', title));
  const box = element('div');
  box.className = 'chart';
  const canvas = element('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  box.append(canvas);
  section.append(box, numbers);
  root.append(section);
  new Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
}

const axes = (x: string, y: string) => ({
  x: { title: { display: true, text: x } },
  y: { title: { display: true, text: y }, beginAtZero: true },
});

export function drawVolume(root: HTMLElement, points: VolumePoint[], bucket: string, end?: string): void {
  const labels = bucketLabels(
    points.map((p) => p.start),
    bucket,
    end,
  );
  figure(
    root,
    `Conversations per ${bucket}`,
    {
      type: 'bar',
      data: {
        labels,
        datasets: [{ label: 'conversations', data: points.map((p) => p.count), backgroundColor: COLORS[0] }],
      },
      options: { scales: axes(bucket, 'conversations'), plugins: { legend: { display: false } } },
    },
    table(
      `Conversations per ${bucket}`,
      [bucket, 'conversations'],
      labels.map((l, i) => [l, points[i]!.count]),
    ),
  );
}

function drawLevels(root: HTMLElement, rows: LevelsRow[], of: string, end?: string): void {
  const teams = rows.filter((r) => r.group === 'team');
  const trend = rows.filter((r) => r.group === 'week' || r.group === 'month');
  const series = (rs: LevelsRow[], key: keyof LevelsRow) =>
    rs.map((r) => hours(r[key] as number | undefined));
  figure(
    root,
    `First response and close by team (hours), ${of}`,
    {
      type: 'bar',
      data: {
        labels: teams.map((t) => t.name),
        datasets: [
          {
            label: 'first response p50',
            data: series(teams, 'first_response_p50'),
            backgroundColor: COLORS[0],
          },
          {
            label: 'first response p90',
            data: series(teams, 'first_response_p90'),
            backgroundColor: COLORS[1],
          },
          { label: 'close p50', data: series(teams, 'close_p50'), backgroundColor: COLORS[2] },
        ],
      },
      options: { scales: axes('team', 'hours') },
    },
    table(
      'By team (hours)',
      ['team', 'count', 'first response p50', 'first response p90', 'close p50', 'close p90'],
      teams.map((t) => [
        t.name,
        t.count,
        hours(t.first_response_p50),
        hours(t.first_response_p90),
        hours(t.close_p50),
        hours(t.close_p90),
      ]),
    ),
  );
  const bucket = trend[0]?.group ?? 'week';
  const labels = bucketLabels(
    trend.map((t) => t.name),
    bucket,
    end,
  );
  figure(
    root,
    `Per ${bucket} (hours)`,
    {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: 'first response p50', data: series(trend, 'first_response_p50'), borderColor: COLORS[0] },
          { label: 'close p50', data: series(trend, 'close_p50'), borderColor: COLORS[2] },
        ],
      },
      options: { scales: axes(bucket, 'hours') },
    },
    table(
      `Per ${bucket} (hours)`,
      [bucket, 'count', 'first response p50', 'close p50'],
      trend.map((t, i) => [labels[i]!, t.count, hours(t.first_response_p50), hours(t.close_p50)]),
    ),
  );
}

function drawThemes(root: HTMLElement, a: Answer): void {
  const themes = a.themes ?? [];
  const now = a.conversations ?? 0;
  const before = a.baseline_conversations ?? 0;
  // The baseline's count scaled to this period's conversations: what "usual" would have been.
  const usual = themes.map((t) =>
    before > 0 ? Math.round((t.baseline_conversations * now * 10) / before) / 10 : 0,
  );
  figure(
    root,
    'Themes: conversations now and as usual',
    {
      type: 'bar',
      data: {
        labels: themes.map((t) => t.term),
        datasets: [
          { label: 'now', data: themes.map((t) => t.conversations), backgroundColor: COLORS[3] },
          { label: 'usual', data: usual, backgroundColor: COLORS[0] },
        ],
      },
      options: { indexAxis: 'y', scales: axes('conversations', 'theme') },
    },
    table(
      'Themes',
      ['theme', 'conversations now', 'usual', 'in the baseline'],
      themes.map((t, i) => [t.term, t.conversations, usual[i]!, t.baseline_conversations]),
    ),
  );
}

/** Draws whichever answer this is; false when it is none this view knows. */
export function drawAnswer(root: HTMLElement, a: Answer): boolean {
  root.replaceChildren();
  if (a.volume && a.bucket) drawVolume(root, a.volume, a.bucket, a.timeframe?.to);
  else if (a.rows) drawLevels(root, a.rows, a.of ?? 'conversations', a.timeframe?.to);
  else if (a.themes) drawThemes(root, a);
  else return false;
  return true;
}

export const STYLE = `
html, body { margin: 0; }
body { font: 14px/1.4 system-ui, sans-serif; padding: 12px; color: #111; background: #fff; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin: 16px 0 4px; }
.chart { position: relative; height: 260px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
`;

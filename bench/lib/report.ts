import { cpus, totalmem } from 'node:os';

export type Cell = string | number | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

export function fmt(value: Cell, digits = 0): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const pct = (ratio: number | null): string => (ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`);
export const mb = (bytes: number | null): string => (bytes === null ? '—' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

/** Plain-text table for the terminal. */
export function renderText(table: Table): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : fmt(c))))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`\n${table.title}`, line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** GitHub-flavoured Markdown table. */
export function renderMarkdown(table: Table): string {
  const cells = table.rows.map((r) => r.map((c) => (typeof c === 'string' ? c : fmt(c))));
  return [
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...cells.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface Target {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

export interface ScenarioResult {
  scenario: string;
  machine: MachineInfo;
  params: Record<string, unknown>;
  tables: Table[];
  targets: Target[];
  metrics: Record<string, unknown>;
  notes: string[];
}

export function emit(result: ScenarioResult): void {
  for (const table of result.tables) console.log(renderText(table));
  if (result.targets.length > 0) {
    console.log(
      renderText({
        title: 'Targets (issue 8)',
        columns: ['target', 'measured', 'required', 'met'],
        rows: result.targets.map((t) => [
          t.name,
          t.value === null ? '—' : fmt(t.value, 3),
          t.target,
          t.met === null ? 'n/a' : t.met ? 'yes' : 'NO',
        ]),
      }),
    );
  }
  for (const note of result.notes) console.log(`note: ${note}`);
  // The last line is the result as one JSON object: `bench:all` reads it back.
  console.log(JSON.stringify(result));
}

/** The scenario result a child printed as its last JSON line. */
export function parseResult(stdout: string): ScenarioResult | null {
  const lines = stdout.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as ScenarioResult;
      if (typeof value.scenario === 'string') return value;
    } catch {
      // not the result line
    }
  }
  return null;
}

// What a `| render` draws, from a result table, as Kusto's render operator reads it: the x axis
// is the `xcolumn` property or the first column (a timechart's first datetime column), the values
// are the `ycolumns` or every numeric column, and each distinct value of the `series` columns (or
// of the string columns) is a series of its own.
import type { QueryColumn, QueryTable, RenderSpec } from '../../api/query.ts';
import { isNumeric } from './cells.ts';

export type ChartKind = 'line' | 'column' | 'bar' | 'pie';

export interface ChartSeries { name: string; points: { x: number | Date | string; y: number }[] }
export interface ChartData { kind: ChartKind; xTitle: string; yTitle: string; series: ChartSeries[] }

const KIND: Record<string, ChartKind> = {
  timechart: 'line', linechart: 'line', areachart: 'line', stackedareachart: 'line', scatterchart: 'line', anomalychart: 'line',
  columnchart: 'column', barchart: 'bar', piechart: 'pie',
};

const names = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : undefined);

/** The chart, or why it cannot be drawn (the visualization is not one of the drawn kinds, or the columns do not fit it). */
export function chartOf(table: QueryTable, render: RenderSpec): ChartData | { unsupported: string } {
  const kind = KIND[render.visualization];
  if (kind === undefined) return { unsupported: `"render ${render.visualization}" is not drawn here; the results are shown as a table.` };
  const byName = (n: string) => table.columns.findIndex((c) => c.name === n);
  const xName = typeof render.xcolumn === 'string' ? render.xcolumn : undefined;
  let x = xName !== undefined ? byName(xName) : render.visualization === 'timechart' ? table.columns.findIndex((c) => c.type === 'datetime') : 0;
  if (x < 0) x = 0;
  const xColumn: QueryColumn | undefined = table.columns[x];
  if (xColumn === undefined) return { unsupported: 'The result has no columns to draw.' };
  const yNames = names(render.ycolumns);
  const ys = yNames !== undefined ? yNames.map(byName).filter((i) => i >= 0) : table.columns.flatMap((c, i) => (i !== x && isNumeric(c) ? [i] : []));
  if (ys.length === 0) return { unsupported: `"render ${render.visualization}" needs a numeric column to draw; the result has none besides ${xColumn.name}.` };
  const seriesNames = names(render.series);
  const seriesColumns = seriesNames !== undefined ? seriesNames.map(byName).filter((i) => i >= 0)
    : table.columns.flatMap((c, i) => (i !== x && !ys.includes(i) && (c.type === 'string' || c.type === 'bool' || c.type === 'guid') ? [i] : []));
  if (kind === 'line' && xColumn.type !== 'datetime' && !isNumeric(xColumn)) {
    return { unsupported: `A ${render.visualization} needs a datetime or numeric x axis; ${xColumn.name} is ${xColumn.type}.` };
  }
  const xOf = (v: unknown): number | Date | string => (xColumn.type === 'datetime' ? new Date(String(v)) : isNumeric(xColumn) && kind === 'line' ? Number(v) : String(v ?? ''));
  const series = new Map<string, ChartSeries>();
  for (const row of table.rows) {
    const key = seriesColumns.map((i) => String(row[i] ?? '')).join(', ');
    for (const y of ys) {
      const value = Number(row[y]);
      if (row[y] === null || !Number.isFinite(value)) continue;
      const name = [key, ys.length > 1 || key === '' ? table.columns[y]!.name : ''].filter((s) => s !== '').join(' · ');
      let s = series.get(name);
      if (s === undefined) series.set(name, s = { name, points: [] });
      s.points.push({ x: xOf(row[x]), y: value });
    }
  }
  for (const s of series.values()) {
    if (kind === 'line') s.points.sort((a, b) => Number(a.x) - Number(b.x));
  }
  const yTitle = typeof render.ytitle === 'string' ? render.ytitle : ys.map((i) => table.columns[i]!.name).join(', ');
  const xTitle = typeof render.xtitle === 'string' ? render.xtitle : xColumn.name;
  return { kind, xTitle, yTitle, series: [...series.values()] };
}

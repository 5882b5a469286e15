// A series of this period against the previous one (drawn over the same times, dashed), with
// its figures as a table for those who do not read the chart.
import { LineChart, withResponsiveContainer, type ChartProps } from '@fluentui/react-charts';
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import type { SeriesPoint, TimeRange } from '../../api/overview.ts';
import { formatNumber, usePanelStyles } from './parts.tsx';

const ResponsiveLineChart = withResponsiveContainer(LineChart);

export function pointLabel(time: Date, range: TimeRange): string {
  return range.stepMs < 86_400_000
    ? time.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : time.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function TrendChart({ what, points, range, summary }: { what: string; points: SeriesPoint[]; range: TimeRange; summary: string }) {
  const styles = usePanelStyles();
  const data: ChartProps = {
    chartTitle: `${what} over time: ${summary}`,
    lineChartData: [
      { legend: `${what}, ${range.label.toLowerCase()}`, color: tokens.colorBrandForeground1, data: points.map((p) => ({ x: p.time, y: p.current })) },
      {
        legend: `${what}, the period before`, color: tokens.colorNeutralForeground3, lineOptions: { strokeDasharray: '5 4' },
        data: points.map((p) => ({ x: p.time, y: p.previous, xAxisCalloutData: `${pointLabel(new Date(p.time.getTime() - range.periodMs), range)} (the period before)` })),
      },
    ],
  };
  return (
    <>
      <div style={{ height: 240 }}>
        {/* Room on the right for the last time label ("Nov 28, 12:00 AM"), which the default 20 px cut. */}
        <ResponsiveLineChart data={data} height={240} yMinValue={0} yMaxValue={1} margins={{ top: 20, bottom: 35, left: 40, right: 56 }} customDateTimeFormatter={(d: Date) => pointLabel(d, range)} />
      </div>
      <details className={styles.details}>
        <summary>{what}: the figures as a table</summary>
        <Table size="small" className={styles.table} aria-label={`${what} per ${range.step === '1d' ? 'day' : range.step === '1h' ? 'hour' : '6 hours'}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>From</TableHeaderCell>
              <TableHeaderCell className={styles.numeric}>{range.label}</TableHeaderCell>
              <TableHeaderCell>Same point, the period before</TableHeaderCell>
              <TableHeaderCell className={styles.numeric}>The period before</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {points.map((p) => (
              <TableRow key={p.time.getTime()}>
                <TableCell>{pointLabel(p.time, range)}</TableCell>
                <TableCell className={styles.numeric}>{formatNumber(p.current)}</TableCell>
                <TableCell>{pointLabel(new Date(p.time.getTime() - range.periodMs), range)}</TableCell>
                <TableCell className={styles.numeric}>{formatNumber(p.previous)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>
    </>
  );
}

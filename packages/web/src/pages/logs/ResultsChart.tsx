// The chart of a query's `| render` (Fluent's react-charts): timechart, linechart, areachart
// and scatterchart as lines; columnchart as columns; barchart as horizontal bars; piechart as a
// pie. Reusable: give it a result table and the render the query API returned.
import { DonutChart, HorizontalBarChartWithAxis, LineChart, VerticalBarChart } from '@fluentui/react-charts';
import { MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import type { QueryTable, RenderSpec } from '../../api/query.ts';
import { chartOf } from './chart-data.ts';

const useStyles = makeStyles({
  chart: { backgroundColor: tokens.colorNeutralBackground1, padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}` },
});

const HEIGHT = 320;

export function ResultsChart({ table, render }: { table: QueryTable; render: RenderSpec }) {
  const styles = useStyles();
  const data = chartOf(table, render);
  if ('unsupported' in data) {
    return <MessageBar intent="info"><MessageBarBody>{data.unsupported}</MessageBarBody></MessageBar>;
  }
  const title = typeof render.title === 'string' ? render.title : `${render.visualization} of ${data.yTitle} by ${data.xTitle}`;
  let chart;
  if (data.kind === 'line') {
    chart = (
      <LineChart
        data={{ chartTitle: title, lineChartData: data.series.map((s) => ({ legend: s.name, data: s.points.map((p) => ({ x: p.x as number | Date, y: p.y })) })) }}
        height={HEIGHT} xAxisTitle={data.xTitle} yAxisTitle={data.yTitle}
      />
    );
  } else if (data.kind === 'pie') {
    chart = (
      <DonutChart
        data={{ chartTitle: title, chartData: data.series.flatMap((s) => s.points.map((p) => ({ legend: `${String(p.x)}${data.series.length > 1 ? ` (${s.name})` : ''}`, data: p.y }))) }}
        innerRadius={0} height={HEIGHT}
      />
    );
  } else if (data.kind === 'bar') {
    chart = (
      <HorizontalBarChartWithAxis
        chartTitle={title}
        data={data.series.flatMap((s) => s.points.map((p) => ({ x: p.y, y: String(p.x instanceof Date ? p.x.toISOString() : p.x), legend: s.name })))}
        height={HEIGHT} xAxisTitle={data.yTitle} yAxisTitle={data.xTitle}
      />
    );
  } else {
    chart = (
      <VerticalBarChart
        chartTitle={title}
        data={data.series.flatMap((s) => s.points.map((p) => ({ x: p.x instanceof Date ? p.x.toISOString() : p.x, y: p.y, legend: s.name })))}
        height={HEIGHT} xAxisTitle={data.xTitle} yAxisTitle={data.yTitle}
      />
    );
  }
  return <figure className={styles.chart} aria-label={title} data-visualization={render.visualization} style={{ margin: 0 }}>{chart}</figure>;
}

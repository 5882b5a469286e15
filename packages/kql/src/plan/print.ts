// The plan as indented text (vigil kql explain --stage plan).
import { inputsOf, type Relation, type Scalar } from './nodes.ts';

export function printScalar(s: Scalar): string {
  switch (s.kind) {
    case 'column': return s.name;
    case 'literal': return s.value === null ? `${s.type}(null)` : s.type === 'string' ? JSON.stringify(s.value) : `${s.type}(${String(s.value)})`;
    case 'call': return `${s.fn}(${s.args.map(printScalar).join(', ')})`;
    case 'subquery': return `toscalar(<${s.plan.kind}>)`;
    case 'window': {
      const over = [
        ...(s.partition?.length ? [`partition by ${s.partition.map(printScalar).join(', ')}`] : []),
        ...(s.order.length ? [`order by ${s.order.map((k) => `${printScalar(k.expr)} ${k.descending ? 'desc' : 'asc'}`).join(', ')}`] : []),
      ];
      return `${s.fn}(${s.args.map(printScalar).join(', ')}) over (${over.join(' ')})`;
    }
  }
}

function header(r: Relation): string {
  const cols = `[${r.columns.map((c) => `${c.name}:${c.type}`).join(', ')}]`;
  switch (r.kind) {
    case 'scan': return `Scan ${r.table} @${r.workspaceId}${r.stored ? '' : ' (empty)'}${r.timeRange ? ` ${r.timeRange.column === '_TimeReceived' ? 'received' : 'time'}[${r.timeRange.start ?? ''}..${r.timeRange.end ?? ''})` : ''}`;
    case 'values': return `Values ${r.rows.length} row(s) ${cols}`;
    case 'range': return `Range ${cols} from ${printScalar(r.from)} to ${printScalar(r.to)} step ${printScalar(r.step)}`;
    case 'external': return `External ${r.format} ${JSON.stringify(r.path)} ${cols}`;
    case 'filter': return `Filter ${printScalar(r.predicate)}`;
    case 'project': return `Project ${r.exprs.map((e) => (e.expr.kind === 'column' && e.expr.name === e.name ? e.name : `${e.name}=${printScalar(e.expr)}`)).join(', ')}`;
    case 'aggregate': return `Aggregate ${r.aggregates.map((a) => `${a.name}=${a.call.fn}(${a.call.args.map(printScalar).join(', ')})`).join(', ')}${r.keys.length ? ` by ${r.keys.map((k) => `${k.name}=${printScalar(k.expr)}`).join(', ')}` : ''}`;
    case 'sort': return `Sort ${r.keys.map((k) => `${printScalar(k.expr)} ${k.descending ? 'desc' : 'asc'}`).join(', ')}`;
    case 'limit': return `Limit ${printScalar(r.count)}`;
    case 'sample': return `Sample ${printScalar(r.count)}`;
    case 'distinct': return 'Distinct';
    case 'serialize': return 'Serialize';
    case 'join': return `Join ${r.joinKind} on ${r.on.map((o) => `${o.left}==${o.right}`).join(', ')}`;
    case 'union': return `Union${r.source ? ` withsource=${r.source.column}` : ''} ${cols}`;
    case 'mvexpand': return `MvExpand ${r.expand.map((e) => `${e.name}=${printScalar(e.expr)}${e.type !== 'dynamic' ? ` to ${e.type}` : ''}`).join(', ')}${r.limit !== undefined ? ` limit ${r.limit}` : ''}`;
    case 'series': return `Series ${r.aggregates.map((a) => `${a.name}=${a.call.fn}(${a.call.args.map(printScalar).join(', ')}) default ${printScalar(a.fill)}`).join(', ')} on ${r.axis.name}=${printScalar(r.axis.expr)}`
      + `${r.from ? ` from ${printScalar(r.from)}` : ''}${r.to ? ` to ${printScalar(r.to)}` : ''} step ${printScalar(r.step)}${r.keys.length ? ` by ${r.keys.map((k) => `${k.name}=${printScalar(k.expr)}`).join(', ')}` : ''}`;
    case 'shared': return `Shared ${r.id}`;
  }
}

export function printPlan(r: Relation, depth = 0): string {
  const lines = [`${'  '.repeat(depth)}${header(r)}`];
  for (const c of inputsOf(r)) lines.push(printPlan(c, depth + 1));
  return lines.join('\n');
}

// Rewrite: the query API's `workspaces` list. Every table of the home workspace is read from the
// home workspace and each listed one (as Log Analytics does), unioned.
import type { WorkspaceDef } from '../../types.ts';
import type { Relation } from '../nodes.ts';
import { mapRelationDeep } from './walk.ts';

export function acrossWorkspaces(plan: Relation, homeId: string, others: WorkspaceDef[]): Relation {
  if (others.length === 0) return plan;
  return mapRelationDeep(plan, (r) => {
    if (r.kind !== 'scan' || r.workspaceId !== homeId) return r;
    const inputs: Relation[] = [r];
    for (const ws of others) {
      if (ws.id === homeId) continue;
      const table = ws.tables.find((t) => t.name === r.table);
      if (table === undefined) continue;
      inputs.push({ ...r, workspaceId: ws.id, stored: table.stored, columns: table.columns.map((c) => ({ ...c })) });
    }
    if (inputs.length === 1) return r;
    // A workspace whose table lacks a column (or has it with another type) reads it as null.
    const mapping = inputs.map((i) => r.columns.map((c) => (i.columns.some((x) => x.name === c.name && x.type === c.type) ? c.name : null)));
    return { kind: 'union', inputs, mapping, columns: r.columns };
  });
}

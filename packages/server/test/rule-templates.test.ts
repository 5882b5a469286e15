// Every rule template of the gallery, run as the scheduler runs a rule: crafted rows typed and
// written to a real workspace of a real server (the ingestion path's typeRows and Ingestor), the
// template's query compiled with the saver's reach over one window (compileRuleQuery: the
// window is the compiler's time range, its end is now), the column check of saving, the store, then buildAlerts. Each template raises
// an alert naming the entity at fault on its malicious rows, and none on its benign ones.
// Every case has a time slot of its own, so that one case's rows never reach another's window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, type TestServer } from './harness.ts';
import type { Caller } from '../src/access/caller.ts';
import { callerOfPrincipal } from '../src/access/caller.ts';
import { getWorkspace, workspaceId, type Workspace } from '../src/control/workspaces.ts';
import { typeRows } from '../src/ingest/type-rows.ts';
import { findStandardTable } from '../src/logstore/schema.ts';
import { runCompiled } from '../src/query/query-service.ts';
import { buildAlerts, type Alert } from '../src/detect/alerts.ts';
import { ruleWindows, type RuleDefinition } from '../src/detect/rule-model.ts';
import { compileRuleQuery } from '../src/detect/rule-query.ts';
import { checkRuleColumns } from '../src/detect/rule-columns.ts';
import { TEMPLATES, type GalleryTemplate } from '../src/detect/templates/gallery.ts';
import type { CaseRows, TemplateCase } from './template-cases/case.ts';
import { WINDOWS_CASES } from './template-cases/windows.ts';
import { ENTRA_ID_CASES } from './template-cases/entra-id.ts';
import { LINUX_CASES } from './template-cases/linux.ts';
import { NETWORK_CASES } from './template-cases/network.ts';
import { AZURE_CASES } from './template-cases/azure.ts';
import { OFFICE_CASES } from './template-cases/office.ts';

const CASES: TemplateCase[] = [...WINDOWS_CASES, ...ENTRA_ID_CASES, ...LINUX_CASES, ...NETWORK_CASES, ...AZURE_CASES, ...OFFICE_CASES];

/**
 * Case i's malicious rows sit in slot 2i, its benign ones in slot 2i+1; each slot is as long as
 * the template's lookback and an hour, and the run's window ends at the slot's end.
 */
const BASE = Date.parse('2026-01-01T00:00:00Z');
const slotEnds: Date[] = [];
for (const c of CASES) {
  const template = TEMPLATES.find((g) => g.template.id === c.template);
  const length = (template === undefined ? 0 : ruleWindows(template.rule).periodMs) + 3_600_000;
  for (let k = 0; k < 2; k++) slotEnds.push(new Date((slotEnds.at(-1)?.getTime() ?? BASE) + length));
}
const slotEnd = (slot: number) => slotEnds[slot]!;
/** The server's clock: rows are received (stamped _TimeReceived) at this moment. */
let clock = new Date(BASE);
const F = WORLD.fabrikam;
let t: TestServer;
let caller: Caller;
let workspace: Workspace;

before(async () => {
  t = await startTestServer({ now: () => clock });
  const db = t.server.services.db;
  // The longest retention, so that the hourly purge never takes the crafted rows of early slots.
  await db.updateTable('workspaces').set({ retention_days: 730 }).execute();
  const admin = await db.selectFrom('principals').select('id').where('user_principal_name', '=', WORLD.users.fabrikamAdmin.upn).executeTakeFirstOrThrow();
  caller = (await callerOfPrincipal(db, admin.id))!;
  workspace = (await getWorkspace(db, workspaceId(F.subscription, F.rg, F.workspace)))!;

  // Each case's rows arrive 30 seconds before its window ends: near-real-time rules read their
  // window of ingestion time (_TimeReceived, stamped by the Ingestor from the clock), scheduled
  // ones their window of TimeGenerated.
  const write = async (rows: CaseRows, end: Date) => {
    const receivedAt = new Date(end.getTime() - 30_000);
    clock = receivedAt;
    for (const [name, list] of Object.entries(rows)) {
      const table = findStandardTable(name);
      assert.ok(table, `${name} is not a standard table`);
      const placed = list.map(({ ago, ...row }) => ({ ...row, TimeGenerated: new Date(end.getTime() - ago * 60_000).toISOString() }));
      const bytes = JSON.stringify(placed).length;
      const typed = typeRows(table, placed, { workspaceId: workspace.customer_id, receivedAt, bytes });
      assert.deepEqual(typed.rejected, [], `${name} rows that do not type`);
      assert.deepEqual(typed.unknownColumns, [], `${name}: columns the table does not have`);
      await t.server.services.ingestor.write(workspace.customer_id, table, typed, 'template-test', bytes);
    }
  };
  for (const [i, c] of CASES.entries()) {
    await write(c.malicious, slotEnd(2 * i));
    await write(c.benign, slotEnd(2 * i + 1));
  }
});
after(async () => { await t?.close(); });

/** The rule's alerts over the window ending at `end`, as one scheduled run raises them. */
async function run(rule: RuleDefinition, end: Date): Promise<{ rows: number; alerts: Alert[] }> {
  const window = { start: new Date(end.getTime() - ruleWindows(rule).periodMs), end };
  const services = t.server.services;
  const compiled = await compileRuleQuery(services, caller, workspace, rule.kind, rule.properties.query, window);
  checkRuleColumns(rule, compiled.columns);
  const answer = await runCompiled(services, compiled, { query: rule.properties.query, maxRows: 10_000, timeoutSeconds: 60 });
  return { rows: answer.rows.length, alerts: buildAlerts(rule, compiled.columns, answer.rows) };
}

test('every template in the gallery has exactly one case, and the gallery holds at least 25', () => {
  assert.ok(TEMPLATES.length >= 25, `${TEMPLATES.length} templates`);
  const ids = CASES.map((c) => c.template);
  assert.equal(new Set(ids).size, ids.length, 'a template with two cases');
  assert.deepEqual(ids.filter((id) => !TEMPLATES.some((g) => g.template.id === id)), [], 'cases of templates the gallery does not hold');
  assert.deepEqual(TEMPLATES.filter((g) => !ids.includes(g.template.id)).map((g) => g.template.properties.displayName), [], 'templates without a case');
});

CASES.forEach((c, i) => {
  const gallery: GalleryTemplate | undefined = TEMPLATES.find((g) => g.template.id === c.template);
  test(`template: ${gallery?.template.properties.displayName ?? c.template}`, async () => {
    assert.ok(gallery, `no template ${c.template}`);
    const { rows, alerts: malicious } = await run(gallery.rule, slotEnd(2 * i));
    assert.ok(malicious.length >= 1, `no alert on the malicious rows (the query returned ${rows} rows)`);
    const entities = malicious.flatMap((a) => a.entities.flatMap((e) => Object.values(e)));
    assert.ok(entities.includes(c.entity), `no alert names ${c.entity}; entities: ${JSON.stringify(malicious.map((a) => a.entities))}`);
    if (c.severity !== undefined) assert.deepEqual([...new Set(malicious.map((a) => a.severity))], [c.severity]);
    const { alerts: benign } = await run(gallery.rule, slotEnd(2 * i + 1));
    assert.deepEqual(benign.map((a) => a.displayName), [], 'alerts on the benign rows');
  });
});

// The environment file's workspace contents and Lighthouse templates (docs/environment-file.md):
// data collection rules, data connectors, analytics rules from the gallery's templates, and
// delegations deployed through Microsoft's onboarding template; idempotent, and every mistake
// named with its file, line and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { applyEnvironmentText, EnvironmentError } from '../src/bootstrap/apply-environment.ts';
import { DEMO_ENVIRONMENT_FILE } from '../src/demo/demo.ts';
import { armGuid } from '../src/arm/template/index.ts';

const TEMPLATE = new URL('../../../docs/examples/lighthouse/subscription.json', import.meta.url);

/** A managing directory and one customer; `workspace` and `delegation` are spliced in (YAML lines). */
function world(workspace: string[] = [], delegation: string[] = ['            template: lighthouse/subscription.json'], providers = 'Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.Insights, Microsoft.ManagedServices'): string {
  return [
    'directories:',
    '  - name: soc',
    '    displayName: SOC',
    '    domain: soc.example',
    '    users:',
    '      - { name: lee, upn: lee@soc.example, password: Passw0rd-long }',
    '    groups:',
    '      - { name: tier1, members: [lee] }',
    '  - name: cust',
    '    displayName: Customer',
    '    domain: cust.example',
    '    users:',
    '      - { name: admin, upn: admin@cust.example, password: Passw0rd-long }',
    '    groups:',
    '      - { name: admins, members: [admin] }',
    '    subscriptions:',
    '      - name: prod',
    `        providers: [${providers}]`,
    '        resourceGroups:',
    '          - name: rg',
    '            dataCollectionRules:',
    '              - { name: dcr-events, workspace: ws-cust, streams: [Microsoft-SecurityEvent] }',
    '            workspaces:',
    '              - name: ws-cust',
    ...workspace,
    '        roleAssignments:',
    '          - { principal: admin, role: Owner }',
    '        delegations:',
    '          - offer: SOC managed Sentinel',
    '            managedBy: soc',
    ...delegation,
    '            authorizations:',
    '              - { principal: tier1, role: Microsoft Sentinel Responder }',
    '            eligibleAuthorizations:',
    '              - { principal: lee, role: Contributor, maximumActivationDuration: PT2H }',
    '',
  ].join('\n');
}

async function withDb(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>): Promise<void> {
  const { db, close } = await openDatabase(':memory:');
  try { await fn(db); } finally { await close(); }
}

/** Applies `text` expecting an error at `line` whose message matches `message`; nothing is applied. */
async function refused(text: string, line: number, message: RegExp, baseDir?: string): Promise<void> {
  await withDb(async (db) => {
    await assert.rejects(applyEnvironmentText(db, text, 'world.yaml', () => new Date(), baseDir === undefined ? { baseDir: new URL('../../../docs/examples/', import.meta.url).pathname } : { baseDir }), (error: unknown) => {
      assert.ok(error instanceof EnvironmentError, String(error));
      assert.equal(error.line, line, error.message);
      assert.match(error.message, message);
      return true;
    });
    assert.equal((await db.selectFrom('directories').select('id').execute()).length, 0, 'nothing applied');
  });
}

const EXAMPLES = new URL('../../../docs/examples/', import.meta.url).pathname;

test('demo.yaml applies, and applying it again changes nothing', async () => {
  await withDb(async (db) => {
    const text = readFileSync(DEMO_ENVIRONMENT_FILE, 'utf8');
    const now = new Date('2026-11-27T10:00:00Z');
    const first = await applyEnvironmentText(db, text, DEMO_ENVIRONMENT_FILE, () => now, { scheduledRuleDelaySeconds: 120 });
    assert.ok(first.created.length > 100);
    const second = await applyEnvironmentText(db, text, DEMO_ENVIRONMENT_FILE, () => now);
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.updated, []);
    // 10 rules in each of three customer workspaces, run as the customer's admin, windows from now less the delay.
    const rules = await db.selectFrom('alert_rules').innerJoin('principals', 'principals.id', 'alert_rules.run_as_principal_id')
      .select(['alert_rules.kind', 'alert_rules.schedule_from', 'principals.user_principal_name']).execute();
    assert.equal(rules.length, 30);
    assert.ok(rules.every((r) => r.user_principal_name?.startsWith('admin@')));
    assert.deepEqual(new Set(rules.filter((r) => r.kind === 'Scheduled').map((r) => r.schedule_from)), new Set(['2026-11-27T09:58:00.000Z']));
    assert.equal(rules.filter((r) => r.kind === 'NRT').length, 6);
    const connectors = await db.selectFrom('data_connectors').select(['kind', 'properties']).execute();
    assert.equal(connectors.length, 12);
    assert.deepEqual(connectors.filter((c) => c.kind === 'CEF').map((c) => JSON.parse(c.properties).port).sort(), [10515, 10525, 10535]);
    const deployments = await db.selectFrom('deployments').selectAll().execute();
    assert.equal(deployments.length, 3);
    assert.ok(deployments.every((d) => d.name === 'lighthouse-onboarding' && d.provisioning_state === 'Succeeded'));
  });
});

test("a delegation with template: is deployed through Microsoft's template, as a deployment of the subscription", async () => {
  await withDb(async (db) => {
    const summary = await applyEnvironmentText(db, world(), join(EXAMPLES, 'world.yaml'));
    assert.ok(summary.created.some((c) => /delegation 'SOC managed Sentinel' on prod \(deployed with lighthouse\/subscription\.json\)/.test(c)), summary.created.join('\n'));
    const sub = await db.selectFrom('subscriptions').select('id').executeTakeFirstOrThrow();
    // The template names its definition guid(mspOfferName): the template's expression, not Vigil's own naming.
    const def = await db.selectFrom('registration_definitions').selectAll().executeTakeFirstOrThrow();
    assert.ok(def.id.endsWith(`/registrationdefinitions/${armGuid(['SOC managed Sentinel'])}`), def.id);
    assert.equal(JSON.parse(def.eligible_authorizations)[0].justInTimeAccessPolicy.maximumActivationDuration, 'PT2H');
    const dep = await db.selectFrom('deployments').selectAll().executeTakeFirstOrThrow();
    assert.equal(dep.scope, `/subscriptions/${sub.id}`);
    assert.deepEqual(JSON.parse(dep.template), JSON.parse(readFileSync(TEMPLATE, 'utf8')));
    assert.equal(JSON.parse(dep.outputs).mspOfferName.value, 'Managed by SOC managed Sentinel');
    // Again: unchanged, and the deployment is not written again.
    const again = await applyEnvironmentText(db, world(), join(EXAMPLES, 'world.yaml'));
    assert.deepEqual([again.created, again.updated], [[], []]);
  });
});

test('workspace contents: rules made from templates by id or name, with their own schedule; a changed schedule is an update', async () => {
  const rules = (frequency: string) => [
    '                dataConnectors:',
    '                  - { name: events, kind: LogsIngestion, dataCollectionRule: dcr-events }',
    '                  - { name: fw, kind: CEF, properties: { protocol: udp, port: 0 } }',
    '                analyticsRules:',
    `                  - { template: 7ede9741-6a6b-4f5f-b304-841c5a641f62, runAs: admin, queryFrequency: ${frequency}, queryPeriod: PT1H }`,
    '                  - { template: windows security event log cleared, runAs: admin, name: log-cleared, severity: High }',
  ];
  await withDb(async (db) => {
    await applyEnvironmentText(db, world(rules('PT5M')), join(EXAMPLES, 'world.yaml'));
    const saved = await db.selectFrom('alert_rules').select(['name', 'kind', 'properties']).orderBy('name').execute();
    assert.deepEqual(saved.map((r) => [r.name, r.kind]), [['7ede9741-6a6b-4f5f-b304-841c5a641f62', 'Scheduled'], ['log-cleared', 'NRT']]);
    const brute = JSON.parse(saved[0]!.properties);
    assert.equal(brute.queryFrequency, 'PT5M');
    assert.equal(brute.alertRuleTemplateName, '7ede9741-6a6b-4f5f-b304-841c5a641f62');
    assert.equal(JSON.parse(saved[1]!.properties).severity, 'High');
    const changed = await applyEnvironmentText(db, world(rules('PT10M')), join(EXAMPLES, 'world.yaml'));
    assert.deepEqual(changed.updated, ["analytics rule 'Brute force against a Windows account' on ws-cust"]);
    const dcr = await db.selectFrom('data_collection_rules').select('immutable_id').executeTakeFirstOrThrow();
    assert.match(dcr.immutable_id, /^dcr-[0-9a-f]{32}$/);
  });
});

test('mistakes in the new keys are named with their line', async () => {
  const ws = (...lines: string[]) => world(lines);
  // Line 25 is the workspace's first added line, 26 the next.
  await refused(ws('                analyticsRules:', '                  - { template: No such template, runAs: admin }'), 26, /'No such template' is not a rule template of Vigil's gallery/);
  await refused(ws('                analyticsRules:', '                  - { template: Windows Security event log cleared, runAs: admin, queryFrequency: PT5M }'), 26, /near-real-time rule, which has no queryFrequency/);
  await refused(ws('                analyticsRules:', '                  - { template: Windows Security event log cleared, runAs: admins }'), 26, /runAs 'admins' is a group/);
  await refused(ws('                analyticsRules:', '                  - { template: Windows Security event log cleared, runAs: admin, queryPeriod: 5 minutes }'), 26, /ISO 8601 duration/);
  await refused(ws('                analyticsRules:', '                  - { template: Brute force against a Windows account, runAs: admin, queryFrequency: PT2H, queryPeriod: PT1H }'), 26, /queryFrequency/);
  await refused(ws('                dataConnectors:', '                  - { name: events, kind: LogsIngestion }'), 26, /names its dataCollectionRule/);
  await refused(ws('                dataConnectors:', '                  - { name: events, kind: LogsIngestion, dataCollectionRule: nope }'), 26, /not an existing data collection rule/);
  await refused(ws('                dataConnectors:', '                  - { name: fw, kind: Syslog, properties: { protocol: smoke, port: 514 } }'), 26, /protocol/);
  await refused(world([], undefined, 'Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.ManagedServices'), 22, /Microsoft\.Insights provider/);
  await refused(world([], ['            template: lighthouse/missing.json']), 28, /template 'lighthouse\/missing\.json' cannot be read/);

  // Microsoft's template without just-in-time roles takes no eligibleAuthorizations.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-env-'));
  try {
    const plain = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
    delete plain.parameters.eligibleAuthorizations;
    delete plain.resources[0].properties.eligibleAuthorizations;
    delete plain.outputs.eligibleAuthorizations;
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(plain));
    await refused(world([], ['            template: plain.json']), 28, /takes no eligibleAuthorizations parameter/, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The demo world of the first start (docs/demo.md): on an empty data directory `vigil serve`
// applies docs/examples/demo.yaml (an ordinary environment file), leaves a marker in the data
// directory, and runs the traffic generator; later starts of a data directory with the marker
// run the generator again but never apply the file again.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { VigilConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { applyEnvironmentText, type ApplySummary } from '../bootstrap/apply-environment.ts';
import { EnvironmentFile } from '../bootstrap/environment-schema.ts';
import { workspaceId } from '../control/workspaces.ts';
import { dataCollectionId } from '../control/data-collection.ts';
import type { RunningServer } from '../server.ts';
import { startTraffic, EVENTS_PER_ROUND, DEFAULT_TRAFFIC, type DemoTarget, type TrafficGenerator, type TrafficOptions } from './traffic.ts';

export const DEMO_ENVIRONMENT_FILE = fileURLToPath(new URL('../../../../docs/examples/demo.yaml', import.meta.url));
/** Left in the data directory once the demo is applied: later starts run its traffic, never apply it again. */
export const DEMO_MARKER = 'demo.json';

/** VIGIL_DEMO=0 (or false, no, off) turns the demo off, as --no-demo does. */
export function demoDisabledByEnvironment(env: NodeJS.ProcessEnv): boolean {
  return /^(0|false|no|off)$/i.test((env.VIGIL_DEMO ?? '').trim());
}

/** A data directory that does not exist yet or holds nothing: a first start. */
export function isEmptyDataDirectory(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export function demoInstalled(dataDir: string): boolean {
  return existsSync(join(dataDir, DEMO_MARKER));
}

function readSpec(file: string): EnvironmentFile {
  return EnvironmentFile.parse(parseYaml(readFileSync(file, 'utf8')));
}

/** Applies the demo's environment file to the (empty) data directory and leaves the marker. */
export async function installDemo(config: VigilConfig, file = DEMO_ENVIRONMENT_FILE): Promise<ApplySummary> {
  const wasEmpty = isEmptyDataDirectory(config.dataDir);
  const { db, close } = await openDatabase(config.dataDir);
  let summary: ApplySummary;
  try {
    summary = await applyEnvironmentText(db, readFileSync(file, 'utf8'), file, () => new Date(), { scheduledRuleDelaySeconds: config.scheduledRuleDelaySeconds });
  } catch (error) {
    await close();
    // Leave the data directory empty again, so that the next start tries the demo again
    // (a data directory that is not empty never gets it).
    if (wasEmpty) for (const name of readdirSync(config.dataDir)) rmSync(join(config.dataDir, name), { recursive: true, force: true });
    throw error;
  }
  await close();
  writeFileSync(join(config.dataDir, DEMO_MARKER), `${JSON.stringify({ environmentFile: file, appliedAt: new Date().toISOString(), created: summary.created.length }, null, 2)}\n`);
  return summary;
}

/** Each customer workspace of the file that has connectors, with where and as whom to send. */
export async function demoTargets(server: RunningServer, file = DEMO_ENVIRONMENT_FILE): Promise<DemoTarget[]> {
  const db = server.services.db;
  const out: DemoTarget[] = [];
  for (const dir of readSpec(file).directories) {
    const directory = dir.id !== undefined
      ? await db.selectFrom('directories').select('id').where('id', '=', dir.id.toLowerCase()).executeTakeFirst()
      : await db.selectFrom('directories').select('id').where('default_domain', '=', dir.domain.toLowerCase()).executeTakeFirst();
    if (directory === undefined) continue;
    for (const sub of dir.subscriptions) {
      const subscription = await db.selectFrom('subscriptions').select('id').where('directory_id', '=', directory.id)
        .where(sub.id !== undefined ? 'id' : 'display_name', '=', sub.id?.toLowerCase() ?? sub.displayName ?? sub.name).executeTakeFirst();
      if (subscription === undefined) continue;
      const byRole = (role: string) => sub.roleAssignments.find((ra) => ra.role === role && !ra.principal.includes('/'))?.principal;
      const adminName = byRole('Owner');
      const admin = dir.users.find((u) => u.name === adminName);
      const forwarderName = byRole('Monitoring Metrics Publisher');
      const forwarderSpec = dir.servicePrincipals.find((sp) => sp.name === forwarderName);
      const forwarderRow = forwarderSpec === undefined ? undefined : await db.selectFrom('principals').select(['id', 'app_id']).where('directory_id', '=', directory.id)
        .where('kind', '=', 'ServicePrincipal').where(forwarderSpec.appId !== undefined ? 'app_id' : 'display_name', '=', forwarderSpec.appId?.toLowerCase() ?? forwarderSpec.displayName ?? forwarderSpec.name).executeTakeFirst();
      for (const rg of sub.resourceGroups) {
        for (const ws of rg.workspaces) {
          if (ws.dataConnectors.length === 0) continue;
          const wsId = workspaceId(subscription.id, rg.name, ws.name);
          const row = await db.selectFrom('workspaces').select('customer_id').where('id', '=', wsId).executeTakeFirst();
          if (row === undefined) continue;
          const target: DemoTarget = { directory: dir.name, tenantId: directory.id, domain: dir.domain, subscriptionId: subscription.id, workspaceName: ws.name, workspaceId: row.customer_id };
          for (const c of ws.dataConnectors) {
            const port = server.services.receivers.port(`${wsId}/providers/microsoft.securityinsights/dataconnectors/${c.name.toLowerCase()}`);
            if (c.kind === 'Syslog' && port !== undefined && c.properties.protocol === 'udp') target.syslogPort = port;
            if (c.kind === 'CEF' && port !== undefined && c.properties.protocol === 'tcp') target.cefPort = port;
            if (c.kind === 'LogsIngestion' && c.dataCollectionRule !== undefined) {
              const spec = rg.dataCollectionRules.find((d) => d.name === c.dataCollectionRule);
              const dcr = await db.selectFrom('data_collection_rules').select('immutable_id').where('id', '=', dataCollectionId(subscription.id, rg.name, 'dataCollectionRules', c.dataCollectionRule)).executeTakeFirst();
              if (spec !== undefined && dcr !== undefined) target.dcr = { immutableId: dcr.immutable_id, streams: spec.streams };
            }
          }
          if (forwarderSpec?.secret !== undefined && forwarderRow?.app_id != null) target.forwarder = { appId: forwarderRow.app_id, secret: forwarderSpec.secret, principalId: forwarderRow.id };
          if (admin !== undefined) target.admin = { upn: admin.upn, password: admin.password };
          out.push(target);
        }
      }
    }
  }
  return out;
}

/** Starts the demo's traffic into every customer workspace of the file. */
export async function startDemoTraffic(server: RunningServer, options: TrafficOptions = {}, file = DEMO_ENVIRONMENT_FILE): Promise<{ traffic: TrafficGenerator; targets: DemoTarget[] }> {
  const targets = await demoTargets(server, file);
  return { traffic: startTraffic(server, targets, options), targets };
}

/** What the terminal shows: the world, the traffic, the portal's URL and the sign-ins. */
export function demoBanner(server: RunningServer, targets: DemoTarget[], summary: ApplySummary | undefined, file = DEMO_ENVIRONMENT_FILE): string {
  const spec = readSpec(file);
  const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
  const lines: string[] = [];
  lines.push(summary === undefined
    ? `Demo world (from ${shown}, applied on the first start) is running again.`
    : `Demo world set up from ${shown} (${summary.created.length} objects created):`);
  const managing = new Set(spec.directories.flatMap((d) => d.subscriptions.flatMap((s) => s.delegations.map((del) => del.managedBy))));
  for (const dir of spec.directories) {
    const workspaces = dir.subscriptions.flatMap((s) => s.resourceGroups.flatMap((rg) => rg.workspaces));
    if (managing.has(dir.name)) {
      // What each of its groups holds on the customers, through the delegations.
      const offers = spec.directories.flatMap((d) => d.subscriptions.flatMap((s) => s.delegations)).filter((del) => del.managedBy === dir.name);
      lines.push(`  ${dir.displayName} (${dir.domain}), the MSSP: workspace ${workspaces.map((w) => w.name).join(', ')}; on its ${offers.length} customers through Lighthouse:`);
      for (const g of dir.groups) {
        const roles = [...new Set(offers.flatMap((o) => [
          ...o.authorizations.filter((a) => a.principal === g.name).map((a) => a.role),
          ...o.eligibleAuthorizations.filter((e) => e.principal === g.name).map((e) => `${e.role} (eligible, just in time)`),
        ]))];
        lines.push(`    ${g.displayName ?? g.name} (${g.members.join(', ')}): ${roles.length === 0 ? 'no role' : roles.join(', ')}`);
      }
      continue;
    }
    const target = targets.find((t) => t.directory === dir.name);
    const delegation = dir.subscriptions.flatMap((s) => s.delegations)[0];
    const rules = workspaces.reduce((n, w) => n + w.analyticsRules.length, 0);
    const paths = target === undefined ? 'no traffic' : [
      target.syslogPort === undefined ? undefined : `syslog udp/${target.syslogPort}`,
      target.cefPort === undefined ? undefined : `CEF tcp/${target.cefPort}`,
      target.dcr === undefined ? undefined : `Logs Ingestion (${target.dcr.streams.map((s) => s.replace(/^Microsoft-/, '')).join(', ')})`,
      target.admin === undefined ? undefined : 'Azure activity',
    ].filter((p) => p !== undefined).join(', ');
    const onboarded = delegation === undefined ? '' : `, onboarded to ${spec.directories.find((d) => d.name === delegation.managedBy)?.displayName ?? delegation.managedBy}${delegation.template === undefined ? '' : ` with the Lighthouse template ${delegation.template}`}`;
    lines.push(`  ${dir.displayName} (${dir.domain}): workspace ${workspaces.map((w) => w.name).join(', ')}${onboarded}; ${rules} analytics rules; data: ${paths}`);
  }
  const perMinute = Math.round(Object.values(EVENTS_PER_ROUND).reduce((a, b) => a + b, 0) * 60_000 / DEFAULT_TRAFFIC.tickMs);
  lines.push(`Demo traffic: about ${perMinute} events a minute per customer, attacks every ${DEFAULT_TRAFFIC.attackEveryMs / 60_000} minutes;`);
  lines.push('  the first incidents appear within a minute (near-real-time rules), the scheduled rules\' within about 10 minutes.');
  lines.push(`Portal: ${server.url}  Sign in with (user / password):`);
  const width = Math.max(...spec.directories.flatMap((d) => d.users.map((u) => u.upn.length)));
  for (const dir of spec.directories) {
    for (const u of dir.users) lines.push(`  ${u.upn.padEnd(width)}  ${u.password.padEnd(20)} ${u.displayName ?? ''}${managing.has(dir.name) ? '' : `, ${dir.displayName}`}`);
  }
  lines.push('Start without the demo: vigil serve --no-demo (or VIGIL_DEMO=0) on another --data-dir.');
  return lines.join('\n');
}

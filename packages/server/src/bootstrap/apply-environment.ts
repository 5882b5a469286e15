// Applies an environment file to the control-plane database, idempotently and atomically:
// everything in one transaction, existing objects found by their natural keys and left alone
// when they already match. Errors name the file, line and column of the entry at fault.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { Db } from '../db/database.ts';
import { ApiError } from '../errors.ts';
import { z } from 'zod';
import { EnvironmentFile, type DirectorySpec } from './environment-schema.ts';
import { addClientSecret, addGroupMember, createDirectory, createPrincipal, findUserByName, inviteGuest, verifyClientSecret } from '../control/directories.ts';
import { hashSecret, verifySecret } from '../identity/secrets.ts';
import { createSubscription } from '../control/subscriptions.ts';
import { canonicalNamespace, isRegistered, setRegistrationState, PROVIDER_NAMESPACES } from '../control/providers.ts';
import { createOrUpdateResourceGroup, getResourceGroup } from '../control/resource-groups.ts';
import { createOrUpdateWorkspace, getWorkspace, setSentinelOnboarded, workspaceId, type Workspace, type WorkspaceInput } from '../control/workspaces.ts';
import { createRoleAssignment } from '../control/role-assignments.ts';
import { findBuiltinRole, findBuiltinRoleByName } from '../access/builtin-roles.ts';
import { checkRegistrationDefinition, RegistrationDefinitionProperties } from '../access/lighthouse-rules.ts';
import { definitionId, upsertRegistrationAssignment, upsertRegistrationDefinition } from '../control/delegations.ts';
import { resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { armGuid, planDeployment } from '../arm/template/index.ts';
import { validateBody } from '../validation.ts';
import { checkConnectorProperties } from '../control/data-connectors.ts';
import { checkDataCollectionRule, dataCollectionId, newEtag, newImmutableId, type DcrInput } from '../control/data-collection.ts';
import { TableCatalog } from '../logstore/table-catalog.ts';
import { getAlertRule, alertRuleId, putAlertRule } from '../control/alert-rules.ts';
import { TEMPLATES, findTemplate } from '../detect/templates/gallery.ts';
import { ruleFromTemplate } from '../detect/templates/rule-template.ts';
import { parseRuleProperties } from '../detect/rule-model.ts';
import { firstWindowEnd } from '../detect/windows.ts';
import { DEFAULTS } from '../config.ts';

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly path: string, message: string) {
    super(`${file}:${line}:${column}: ${path ? `${path}: ` : ''}${message}`);
  }
}

export interface ApplySummary {
  created: string[];
  updated: string[];
  unchanged: number;
}

type Path = (string | number)[];

export interface ApplyOptions {
  /** Where `template:` paths are read from (default: the directory of `file`). */
  baseDir?: string;
  /** The server's scheduledRuleDelaySeconds: where new scheduled rules' first window ends. */
  scheduledRuleDelaySeconds?: number;
}

export async function applyEnvironmentText(db: Db, text: string, file = '<environment>', now: () => Date = () => new Date(), options: ApplyOptions = {}): Promise<ApplySummary> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (path: Path, message: string): EnvironmentError => {
    const pos = position(doc, lineCounter, path);
    return new EnvironmentError(file, pos.line, pos.col, formatPath(path), message);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new EnvironmentError(file, pos.line, pos.col, '', `not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = EnvironmentFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw locate(issue.path as Path, issue.message);
  }
  const env = parsed.data;
  checkUniqueHandles(env.directories, locate);

  const summary: ApplySummary = { created: [], updated: [], unchanged: 0 };
  let current: Path = [];
  try {
    await db.transaction().execute(async (trx) => {
      const applyOptions = { baseDir: options.baseDir ?? dirname(resolve(file)), scheduledRuleDelaySeconds: options.scheduledRuleDelaySeconds ?? DEFAULTS.scheduledRuleDelaySeconds };
      await new Applier(trx, env.directories, summary, now, (p) => { current = p; }, applyOptions).run();
    });
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    if (error instanceof ApiError) throw locate(current, `${error.message}`);
    throw error;
  }
  return summary;
}

class Applier {
  private readonly principals = new Map<string, string>(); // "dir/handle" -> id
  private readonly directoryIds = new Map<string, string>(); // handle -> id
  private readonly subscriptions = new Map<string, string>(); // "dir/sub" -> id

  constructor(
    private readonly db: Db,
    private readonly dirs: DirectorySpec[],
    private readonly summary: ApplySummary,
    private readonly now: () => Date,
    private readonly at: (p: Path) => void,
    private readonly options: Required<ApplyOptions>,
  ) {}

  async run(): Promise<void> {
    for (const [d, dir] of this.dirs.entries()) await this.directory(d, dir);
    for (const [d, dir] of this.dirs.entries()) {
      for (const [i, g] of dir.guests.entries()) await this.guest(d, dir, i, g);
    }
    for (const [d, dir] of this.dirs.entries()) {
      for (const [i, g] of dir.groups.entries()) {
        for (const [j, m] of g.members.entries()) {
          this.at(['directories', d, 'groups', i, 'members', j]);
          await addGroupMember(this.db, this.principals.get(`${dir.name}/${g.name}`)!, this.resolvePrincipal(dir.name, m));
        }
      }
    }
    for (const [d, dir] of this.dirs.entries()) {
      for (const [s, sub] of dir.subscriptions.entries()) await this.subscription(d, dir, s, sub);
    }
    // Delegations last: they name principals of other directories and need their providers.
    for (const [d, dir] of this.dirs.entries()) {
      for (const [s, sub] of dir.subscriptions.entries()) {
        for (const [k, del] of sub.delegations.entries()) await this.delegation(['directories', d, 'subscriptions', s, 'delegations', k], dir, sub.name, del);
      }
    }
  }

  private note(created: boolean, what: string): void {
    if (created) this.summary.created.push(what);
    else this.summary.unchanged += 1;
  }

  private async directory(d: number, dir: DirectorySpec): Promise<void> {
    this.at(['directories', d]);
    let row = dir.id !== undefined
      ? await this.db.selectFrom('directories').selectAll().where('id', '=', dir.id.toLowerCase()).executeTakeFirst()
      : await this.db.selectFrom('directories').selectAll().where('default_domain', '=', dir.domain.toLowerCase()).executeTakeFirst();
    if (row === undefined) {
      const input: Parameters<typeof createDirectory>[1] = { displayName: dir.displayName, defaultDomain: dir.domain };
      if (dir.id !== undefined) input.id = dir.id;
      row = await createDirectory(this.db, input);
      this.note(true, `directory ${dir.displayName} (${row.id})`);
    } else if (row.display_name !== dir.displayName || row.default_domain !== dir.domain.toLowerCase()) {
      await this.db.updateTable('directories').set({ display_name: dir.displayName, default_domain: dir.domain.toLowerCase() }).where('id', '=', row.id).execute();
      this.summary.updated.push(`directory ${dir.displayName}`);
    } else this.note(false, '');
    this.directoryIds.set(dir.name, row.id);
    const directoryId = row.id;

    for (const [i, u] of dir.users.entries()) {
      this.at(['directories', d, 'users', i]);
      let user = await findUserByName(this.db, directoryId, u.upn);
      if (user === undefined) {
        const input: Parameters<typeof createPrincipal>[1] = { directoryId, kind: 'User', displayName: u.displayName ?? u.name, userPrincipalName: u.upn, password: u.password };
        if (u.id !== undefined) input.id = u.id;
        user = await createPrincipal(this.db, input);
        this.note(true, `user ${u.upn}`);
      } else if (user.password_hash === null || !(await verifySecret(u.password, user.password_hash))) {
        await this.db.updateTable('principals').set({ password_hash: await hashSecret(u.password) }).where('id', '=', user.id).execute();
        this.summary.updated.push(`user ${u.upn} (password)`);
      } else this.note(false, '');
      this.principals.set(`${dir.name}/${u.name}`, user.id);
    }

    for (const [i, g] of dir.groups.entries()) {
      this.at(['directories', d, 'groups', i]);
      const displayName = g.displayName ?? g.name;
      let group = await this.db.selectFrom('principals').selectAll().where('directory_id', '=', directoryId).where('kind', '=', 'Group')
        .where(g.id !== undefined ? 'id' : 'display_name', '=', g.id?.toLowerCase() ?? displayName).executeTakeFirst();
      if (group === undefined) {
        const input: Parameters<typeof createPrincipal>[1] = { directoryId, kind: 'Group', displayName };
        if (g.id !== undefined) input.id = g.id;
        group = await createPrincipal(this.db, input);
        this.note(true, `group ${displayName}`);
      } else this.note(false, '');
      this.principals.set(`${dir.name}/${g.name}`, group.id);
    }

    for (const [i, sp] of dir.servicePrincipals.entries()) {
      this.at(['directories', d, 'servicePrincipals', i]);
      const displayName = sp.displayName ?? sp.name;
      let row2 = await this.db.selectFrom('principals').selectAll().where('directory_id', '=', directoryId).where('kind', '=', 'ServicePrincipal')
        .where(sp.appId !== undefined ? 'app_id' : 'display_name', '=', sp.appId?.toLowerCase() ?? displayName).executeTakeFirst();
      if (row2 === undefined) {
        const input: Parameters<typeof createPrincipal>[1] = { directoryId, kind: 'ServicePrincipal', displayName };
        if (sp.id !== undefined) input.id = sp.id;
        if (sp.appId !== undefined) input.appId = sp.appId;
        row2 = await createPrincipal(this.db, input);
        this.note(true, `service principal ${displayName} (appId ${row2.app_id})`);
      } else this.note(false, '');
      if (sp.secret !== undefined && !(await verifyClientSecret(this.db, row2.id, sp.secret, this.now()))) {
        const isNew = this.summary.created.at(-1)?.startsWith(`service principal ${displayName} `) === true;
        await addClientSecret(this.db, row2.id, { value: sp.secret, displayName: 'environment file' });
        if (!isNew) this.summary.updated.push(`service principal ${displayName} (secret)`);
      }
      this.principals.set(`${dir.name}/${sp.name}`, row2.id);
    }
  }

  private async guest(d: number, dir: DirectorySpec, i: number, g: DirectorySpec['guests'][number]): Promise<void> {
    this.at(['directories', d, 'guests', i]);
    const homeId = this.principals.get(g.user);
    if (homeId === undefined) throw new ApiError('InvalidParameter', `'${g.user}' is not a user declared in this file (write '<directory name>/<user name>').`);
    const hostId = this.directoryIds.get(dir.name)!;
    const existing = await this.db.selectFrom('principals').selectAll().where('directory_id', '=', hostId).where('home_principal_id', '=', homeId).executeTakeFirst();
    let guestId = existing?.id;
    if (existing === undefined) {
      const home = await this.db.selectFrom('principals').selectAll().where('id', '=', homeId).executeTakeFirstOrThrow();
      guestId = (await inviteGuest(this.db, home, hostId, g.id)).id;
      this.note(true, `guest ${home.user_principal_name} in ${dir.displayName}`);
    } else this.note(false, '');
    this.principals.set(`${dir.name}/${g.user}`, guestId!);
  }

  /** `x` is a principal of `dirName`; `other/x` is the guest of other's x in dirName (or x itself when other is dirName). */
  private resolvePrincipal(dirName: string, ref: string): string {
    const own = ref.includes('/') ? (ref.startsWith(`${dirName}/`) ? ref : `${dirName}/${ref}`) : `${dirName}/${ref}`;
    const id = this.principals.get(own);
    if (id === undefined) {
      throw new ApiError('PrincipalNotFound', ref.includes('/') && !ref.startsWith(`${dirName}/`)
        ? `'${ref}' has no guest account in directory '${dirName}'. Invite it under that directory's guests first.`
        : `'${ref}' is not a user, group or service principal of directory '${dirName}' in this file.`);
    }
    return id;
  }

  private resolveRole(ref: string): string {
    const role = findBuiltinRoleByName(ref) ?? findBuiltinRole(ref);
    if (role === undefined) throw new ApiError('RoleDefinitionNotFound', `'${ref}' is not a built-in role name or id (for example 'Microsoft Sentinel Responder' or 3e150937-b8fe-4cfb-8069-0eaf05ecd056).`);
    return role.id;
  }

  private async subscription(d: number, dir: DirectorySpec, s: number, sub: DirectorySpec['subscriptions'][number]): Promise<void> {
    const base: Path = ['directories', d, 'subscriptions', s];
    this.at(base);
    const directoryId = this.directoryIds.get(dir.name)!;
    const displayName = sub.displayName ?? sub.name;
    let row = await this.db.selectFrom('subscriptions').selectAll()
      .where(sub.id !== undefined ? 'id' : 'display_name', '=', sub.id?.toLowerCase() ?? displayName)
      .where('directory_id', '=', directoryId).executeTakeFirst();
    if (row === undefined) {
      if (sub.id !== undefined && (await this.db.selectFrom('subscriptions').select('id').where('id', '=', sub.id.toLowerCase()).executeTakeFirst()) !== undefined) {
        throw new ApiError('Conflict', `Subscription ${sub.id} already exists in another directory; a subscription belongs to one directory.`);
      }
      const input: Parameters<typeof createSubscription>[1] = { directoryId, displayName };
      if (sub.id !== undefined) input.id = sub.id;
      row = await createSubscription(this.db, input);
      this.note(true, `subscription ${displayName} (${row.id})`);
    } else this.note(false, '');
    const subscriptionId = row.id;
    this.subscriptions.set(`${dir.name}/${sub.name}`, subscriptionId);

    for (const [i, p] of sub.providers.entries()) {
      this.at([...base, 'providers', i]);
      const ns = canonicalNamespace(p);
      if (ns === undefined) throw new ApiError('InvalidResourceNamespace', `'${p}' is not a provider namespace Vigil serves (${PROVIDER_NAMESPACES.join(', ')}).`);
      if (await isRegistered(this.db, subscriptionId, ns)) this.note(false, '');
      else {
        await setRegistrationState(this.db, subscriptionId, ns, 'Registered');
        this.note(true, `provider ${ns} registered on ${displayName}`);
      }
    }

    for (const [r, rg] of sub.resourceGroups.entries()) {
      this.at([...base, 'resourceGroups', r]);
      const existing = await getResourceGroup(this.db, subscriptionId, rg.name);
      const rgRow = existing ?? (await createOrUpdateResourceGroup(this.db, subscriptionId, rg.name, rg.location, {})).row;
      this.note(existing === undefined, `resource group ${rg.name}`);
      for (const [w, ws] of rg.workspaces.entries()) {
        this.at([...base, 'resourceGroups', r, 'workspaces', w]);
        const id = workspaceId(subscriptionId, rg.name, ws.name);
        let wsRow = await getWorkspace(this.db, id);
        if (wsRow === undefined) {
          const input: WorkspaceInput = { location: rg.location };
          if (ws.customerId !== undefined) input.customerId = ws.customerId;
          if (ws.retentionInDays !== undefined) input.retentionInDays = ws.retentionInDays;
          if (ws.sku !== undefined) input.sku = ws.sku;
          wsRow = (await createOrUpdateWorkspace(this.db, rgRow, ws.name, input, 'vigil apply', this.now())).row;
          this.note(true, `workspace ${ws.name} (workspace id ${wsRow.customer_id})`);
        } else this.note(false, '');
        if (ws.sentinel && wsRow.sentinel_onboarded_at === null) {
          await setSentinelOnboarded(this.db, wsRow.id, true, this.now());
          this.note(true, `Microsoft Sentinel on ${ws.name}`);
        }
      }
    }

    for (const [i, ra] of sub.roleAssignments.entries()) {
      this.at([...base, 'roleAssignments', i]);
      const scope = ra.scope === undefined ? subscriptionScope(subscriptionId) : scopeBelow(subscriptionId, ra.scope);
      const { created } = await createRoleAssignment(this.db, {
        scope, principalId: this.resolvePrincipal(dir.name, ra.principal), roleDefinitionId: this.resolveRole(ra.role), createdBy: 'vigil apply', now: this.now(),
      });
      this.note(created, `role ${ra.role} for ${ra.principal} on ${ra.scope ?? displayName}`);
    }

    // What lives in the workspaces: collection rules first (connectors name them), then
    // connectors and analytics rules.
    for (const [r, rg] of sub.resourceGroups.entries()) {
      for (const [k, dcr] of rg.dataCollectionRules.entries()) await this.dataCollectionRule([...base, 'resourceGroups', r, 'dataCollectionRules', k], subscriptionId, rg, dcr);
      for (const [w, ws] of rg.workspaces.entries()) {
        const wsRow = (await getWorkspace(this.db, workspaceId(subscriptionId, rg.name, ws.name)))!;
        for (const [k, c] of ws.dataConnectors.entries()) await this.dataConnector([...base, 'resourceGroups', r, 'workspaces', w, 'dataConnectors', k], dir, subscriptionId, rg.name, wsRow, c);
        for (const [k, rule] of ws.analyticsRules.entries()) await this.analyticsRule([...base, 'resourceGroups', r, 'workspaces', w, 'analyticsRules', k], dir, wsRow, rule);
      }
    }
  }

  private async dataCollectionRule(path: Path, subscriptionId: string, rg: ResourceGroupSpec, dcr: ResourceGroupSpec['dataCollectionRules'][number]): Promise<void> {
    this.at(path);
    if (!rg.workspaces.some((w) => w.name === dcr.workspace)) throw new ApiError('InvalidParameter', `workspace '${dcr.workspace}' is not a workspace of resource group '${rg.name}' in this file.`);
    if (!(await isRegistered(this.db, subscriptionId, 'Microsoft.Insights'))) {
      throw new ApiError('MissingSubscriptionRegistration', `data collection rules need the Microsoft.Insights provider registered: add it to the subscription's providers.`);
    }
    const properties: DcrInput = {
      streamDeclarations: {},
      destinations: { logAnalytics: [{ workspaceResourceId: workspaceId(subscriptionId, rg.name, dcr.workspace), name: 'workspace' }] },
      dataFlows: [{ streams: dcr.streams, destinations: ['workspace'] }],
    };
    const checked = await checkDataCollectionRule(this.db, new TableCatalog(this.db), properties);
    const id = dataCollectionId(subscriptionId, rg.name, 'dataCollectionRules', dcr.name);
    const existing = await this.db.selectFrom('data_collection_rules').selectAll().where('id', '=', id).executeTakeFirst();
    const json = JSON.stringify(checked.properties);
    if (existing?.properties === json) return this.note(false, '');
    const stamp = this.now().toISOString();
    const rgRow = (await getResourceGroup(this.db, subscriptionId, rg.name))!;
    await this.db.insertInto('data_collection_rules').values({
      id, subscription_id: subscriptionId, resource_group_id: rgRow.id, name: dcr.name, location: rgRow.location,
      immutable_id: existing?.immutable_id ?? newImmutableId('dcr'), properties: json, tags: '{}', etag: newEtag(),
      created_at: existing?.created_at ?? stamp, created_by: existing?.created_by ?? 'vigil apply', updated_at: stamp,
    }).onConflict((oc) => oc.column('id').doUpdateSet({ properties: json, etag: newEtag(), updated_at: stamp })).execute();
    if (existing === undefined) this.summary.created.push(`data collection rule ${dcr.name} (${dcr.streams.join(', ')} to ${dcr.workspace})`);
    else this.summary.updated.push(`data collection rule ${dcr.name}`);
  }

  private async dataConnector(path: Path, dir: DirectorySpec, subscriptionId: string, rgName: string, w: Workspace, c: WorkspaceSpec['dataConnectors'][number]): Promise<void> {
    this.at(path);
    if (w.sentinel_onboarded_at === null) throw new ApiError('InvalidParameter', `data connectors need Microsoft Sentinel on workspace '${w.name}' (sentinel: true).`);
    let input = c.properties;
    if (c.kind === 'LogsIngestion') {
      if (c.dataCollectionRule === undefined) throw new ApiError('InvalidParameter', 'a LogsIngestion connector names its dataCollectionRule (a data collection rule of the same resource group).');
      input = { ...input, dataCollectionRuleId: dataCollectionId(subscriptionId, rgName, 'dataCollectionRules', c.dataCollectionRule) };
    } else if (c.dataCollectionRule !== undefined) throw new ApiError('InvalidParameter', `dataCollectionRule is for LogsIngestion connectors, not ${c.kind}.`);
    const properties = JSON.stringify(await checkConnectorProperties(this.db, c.kind, input, this.directoryIds.get(dir.name)!));
    const id = `${w.id}/providers/microsoft.securityinsights/dataconnectors/${c.name.toLowerCase()}`;
    const existing = await this.db.selectFrom('data_connectors').selectAll().where('id', '=', id).executeTakeFirst();
    if (existing !== undefined && existing.kind !== c.kind) throw new ApiError('InvalidParameter', `data connector '${c.name}' exists with kind '${existing.kind}'; a connector's kind cannot change. Give this one another name.`);
    if (existing?.properties === properties) return this.note(false, '');
    const stamp = this.now().toISOString();
    await this.db.insertInto('data_connectors').values({
      id, workspace_id: w.id, name: c.name, kind: c.kind, properties, etag: randomUUID(), created_at: stamp, created_by: 'vigil apply', updated_at: stamp,
    }).onConflict((oc) => oc.column('id').doUpdateSet({ properties, etag: randomUUID(), updated_at: stamp })).execute();
    if (existing === undefined) this.summary.created.push(`data connector ${c.name} (${c.kind}) on ${w.name}`);
    else this.summary.updated.push(`data connector ${c.name} on ${w.name}`);
  }

  private async analyticsRule(path: Path, dir: DirectorySpec, w: Workspace, spec: WorkspaceSpec['analyticsRules'][number]): Promise<void> {
    this.at(path);
    if (w.sentinel_onboarded_at === null) throw new ApiError('InvalidParameter', `analytics rules need Microsoft Sentinel on workspace '${w.name}' (sentinel: true).`);
    const found = findTemplate(spec.template) ?? TEMPLATES.find((t) => t.template.properties.displayName.toLowerCase() === spec.template.toLowerCase());
    if (found === undefined) throw new ApiError('InvalidParameter', `template '${spec.template}' is not a rule template of Vigil's gallery (give its id or display name; docs/detection.md lists them).`);
    const t = found.template;
    if (t.kind === 'NRT' && (spec.queryFrequency !== undefined || spec.queryPeriod !== undefined)) {
      throw new ApiError('InvalidParameter', `template '${t.properties.displayName}' makes a near-real-time rule, which has no queryFrequency or queryPeriod: remove them.`);
    }
    const props: Record<string, unknown> = { ...ruleFromTemplate(t), enabled: spec.enabled };
    if (spec.queryFrequency !== undefined) props.queryFrequency = spec.queryFrequency.toUpperCase();
    if (spec.queryPeriod !== undefined) props.queryPeriod = spec.queryPeriod.toUpperCase();
    if (spec.severity !== undefined) props.severity = spec.severity;
    const definition = parseRuleProperties(t.kind, props);
    const principalId = this.resolvePrincipal(dir.name, spec.runAs);
    const principal = await this.db.selectFrom('principals').selectAll().where('id', '=', principalId).executeTakeFirstOrThrow();
    if (principal.kind === 'Group') throw new ApiError('InvalidParameter', `runAs '${spec.runAs}' is a group; a rule runs as a user or a service principal.`);
    const name = spec.name ?? t.id;
    const existing = await getAlertRule(this.db, alertRuleId(w.id, name));
    if (existing !== undefined && existing.row.kind === definition.kind && existing.row.properties === JSON.stringify(definition.properties) && existing.row.run_as_principal_id === principalId) {
      return this.note(false, '');
    }
    if (existing !== undefined && existing.row.kind !== definition.kind) throw new ApiError('InvalidParameter', `analytics rule '${name}' exists with kind '${existing.row.kind}'; its kind cannot change. Give this one another name.`);
    const now = this.now();
    await putAlertRule(this.db, {
      workspace: w, name, definition, principalId, principalName: principal.user_principal_name ?? principal.display_name, now,
      firstWindowEnd: firstWindowEnd({ scheduledRuleDelaySeconds: this.options.scheduledRuleDelaySeconds }, definition.kind, now),
    });
    const schedule = definition.kind === 'NRT' ? 'near-real-time' : `every ${definition.properties.queryFrequency}`;
    if (existing === undefined) this.summary.created.push(`analytics rule '${t.properties.displayName}' on ${w.name} (${schedule})`);
    else this.summary.updated.push(`analytics rule '${t.properties.displayName}' on ${w.name}`);
  }

  private async delegation(path: Path, dir: DirectorySpec, subName: string, del: DirectorySpec['subscriptions'][number]['delegations'][number]): Promise<void> {
    this.at(path);
    const subscriptionId = this.subscriptions.get(`${dir.name}/${subName}`)!;
    const managedBy = this.directoryIds.get(del.managedBy);
    if (managedBy === undefined) throw new ApiError('InvalidParameter', `managedBy '${del.managedBy}' is not a directory declared in this file.`);
    const scope = del.resourceGroup === undefined ? subscriptionScope(subscriptionId) : resourceGroupScope(subscriptionId, del.resourceGroup);
    const name = armGuid([del.offer, scope]);
    const resolveManaging = (ref: string) => this.resolvePrincipal(del.managedBy, ref);
    const input = {
      registrationDefinitionName: del.offer,
      description: del.description ?? del.offer,
      managedByTenantId: managedBy,
      authorizations: del.authorizations.map((a) => ({
        principalId: resolveManaging(a.principal),
        principalIdDisplayName: a.principalDisplayName ?? a.principal,
        roleDefinitionId: this.resolveRole(a.role),
        ...(a.delegatedRoles === undefined ? {} : { delegatedRoleDefinitionIds: a.delegatedRoles.map((r) => this.resolveRole(r)) }),
      })),
      eligibleAuthorizations: del.eligibleAuthorizations.map((e) => ({
        principalId: resolveManaging(e.principal),
        principalIdDisplayName: e.principalDisplayName ?? e.principal,
        roleDefinitionId: this.resolveRole(e.role),
        justInTimeAccessPolicy: {
          multiFactorAuthProvider: e.multiFactorAuthProvider,
          maximumActivationDuration: e.maximumActivationDuration,
          ...(e.approvers.length === 0 ? {} : { managedByTenantApprovers: e.approvers.map((ap) => ({ principalId: resolveManaging(ap), principalIdDisplayName: ap })) }),
        },
      })),
    };
    const customer = this.directoryIds.get(dir.name)!;
    if (del.template !== undefined) return this.delegationByTemplate(path, dir, subscriptionId, del, input, customer);
    if (del.deploymentName !== undefined) throw new ApiError('InvalidParameter', 'deploymentName goes with template: name the Lighthouse template to deploy.');
    const defId = definitionId(scope, name);
    const existing = await this.db.selectFrom('registration_definitions').selectAll().where('id', '=', defId).executeTakeFirst();
    const checked = await checkRegistrationDefinition(this.db, customer, input);
    const same = existing !== undefined && existing.registration_definition_name === input.registrationDefinitionName
      && existing.description === input.description && existing.authorizations === JSON.stringify(checked.authorizations)
      && existing.eligible_authorizations === JSON.stringify(checked.eligibleAuthorizations);
    if (!same) {
      await upsertRegistrationDefinition(this.db, scope, name, input, 'vigil apply', this.now());
      if (existing === undefined) this.summary.created.push(`delegation '${del.offer}' on ${subName}`);
      else this.summary.updated.push(`delegation '${del.offer}' on ${subName}`);
    } else this.note(false, '');
    const { created } = await upsertRegistrationAssignment(this.db, scope, name, defId, 'vigil apply', this.now());
    this.note(created, `delegation assignment '${del.offer}' on ${subName}`);
  }

  /**
   * The offer deployed through an ARM template in Microsoft's Lighthouse format: its parameters
   * made from the entry, the template evaluated by the same engine as a deployment sent to the
   * API, its registration definition and assignment written, and the deployment recorded on the
   * customer's subscription (as `vigil onboard` or `az deployment sub create` would leave it).
   */
  private async delegationByTemplate(path: Path, dir: DirectorySpec, subscriptionId: string, del: DelegationSpec, input: RegistrationDefinitionInputLike, customer: string): Promise<void> {
    const file = resolve(this.options.baseDir, del.template!);
    let template: { parameters?: Record<string, unknown> };
    try {
      template = JSON.parse(readFileSync(file, 'utf8')) as typeof template;
    } catch (error) {
      throw new ApiError('InvalidParameter', `template '${del.template}' cannot be read as JSON (${file}): ${(error as Error).message}`);
    }
    const declared = new Map(Object.keys(template.parameters ?? {}).map((k) => [k.toLowerCase(), k]));
    const values: Record<string, unknown> = {
      mspOfferName: input.registrationDefinitionName, mspOfferDescription: input.description, managedByTenantId: input.managedByTenantId,
      authorizations: input.authorizations, eligibleAuthorizations: input.eligibleAuthorizations,
    };
    const parameters: Record<string, { value: unknown }> = {};
    for (const [k, v] of Object.entries(values)) {
      const name = declared.get(k.toLowerCase());
      if (name !== undefined) parameters[name] = { value: v };
      else if (k === 'eligibleAuthorizations' && input.eligibleAuthorizations.length > 0) {
        throw new ApiError('InvalidParameter', `template '${del.template}' takes no eligibleAuthorizations parameter: use Microsoft's delegated-resource-management-eligible-authorizations template for just-in-time roles.`);
      } else if (k !== 'eligibleAuthorizations') throw new ApiError('InvalidParameter', `template '${del.template}' does not take the '${k}' parameter of Microsoft's Lighthouse onboarding templates.`);
    }
    const deploymentName = del.deploymentName ?? 'lighthouse-onboarding';
    const sub = await this.db.selectFrom('subscriptions').selectAll().where('id', '=', subscriptionId).executeTakeFirstOrThrow();
    const ctx: Parameters<typeof planDeployment>[2] = { subscriptionId, deploymentName, tenantId: customer, subscriptionDisplayName: sub.display_name };
    if (del.resourceGroup !== undefined) ctx.resourceGroup = del.resourceGroup;
    let plan: ReturnType<typeof planDeployment>;
    try {
      plan = planDeployment(template, parameters, ctx);
    } catch (error) {
      throw new ApiError('InvalidTemplate', `template '${del.template}': ${(error as Error).message}`);
    }
    let changed = false;
    for (const r of plan.resources) {
      const scope = r.resourceGroup === undefined ? subscriptionScope(r.subscriptionId) : resourceGroupScope(r.subscriptionId, r.resourceGroup);
      const type = r.type.toLowerCase();
      if (type === 'microsoft.managedservices/registrationdefinitions') {
        const props = validateBody(RegistrationDefinitionProperties, r.properties);
        const checked = await checkRegistrationDefinition(this.db, customer, props);
        const existing = await this.db.selectFrom('registration_definitions').selectAll().where('id', '=', definitionId(scope, r.name)).executeTakeFirst();
        const same = existing !== undefined && existing.registration_definition_name === props.registrationDefinitionName
          && existing.description === (props.description ?? null) && existing.authorizations === JSON.stringify(checked.authorizations)
          && existing.eligible_authorizations === JSON.stringify(checked.eligibleAuthorizations);
        if (same) { this.note(false, ''); continue; }
        await upsertRegistrationDefinition(this.db, scope, r.name, props, 'vigil apply', this.now());
        changed = true;
        if (existing === undefined) this.summary.created.push(`delegation '${del.offer}' on ${sub.display_name} (deployed with ${del.template})`);
        else this.summary.updated.push(`delegation '${del.offer}' on ${sub.display_name}`);
      } else if (type === 'microsoft.managedservices/registrationassignments') {
        const props = validateBody(z.object({ registrationDefinitionId: z.string().min(1) }).passthrough(), r.properties);
        const { created } = await upsertRegistrationAssignment(this.db, scope, r.name, props.registrationDefinitionId, 'vigil apply', this.now());
        if (created) changed = true;
        this.note(created, `delegation assignment '${del.offer}' on ${sub.display_name}`);
      } else {
        throw new ApiError('InvalidTemplate', `template '${del.template}' deploys '${r.type}' (${r.templatePath}); an environment file's Lighthouse template deploys only Microsoft.ManagedServices registrationDefinitions and registrationAssignments.`);
      }
    }
    if (!changed) return;
    const depScope = del.resourceGroup === undefined ? subscriptionScope(subscriptionId) : resourceGroupScope(subscriptionId, del.resourceGroup);
    const row = {
      id: `${depScope}/providers/microsoft.resources/deployments/${deploymentName.toLowerCase()}`, name: deploymentName, scope: depScope, subscription_id: subscriptionId,
      location: null, template: JSON.stringify(template), parameters: JSON.stringify(parameters), provisioning_state: 'Succeeded' as const,
      outputs: JSON.stringify(plan.outputs), output_resources: JSON.stringify(plan.resources.map((r) => ({ id: r.id }))), error: null,
      correlation_id: randomUUID(), created_at: this.now().toISOString(), created_by: 'vigil apply',
    };
    await this.db.insertInto('deployments').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ ...row })).execute();
  }
}

type ResourceGroupSpec = DirectorySpec['subscriptions'][number]['resourceGroups'][number];
type WorkspaceSpec = ResourceGroupSpec['workspaces'][number];
type DelegationSpec = DirectorySpec['subscriptions'][number]['delegations'][number];
interface RegistrationDefinitionInputLike {
  registrationDefinitionName: string;
  description: string;
  managedByTenantId: string;
  authorizations: unknown[];
  eligibleAuthorizations: unknown[];
}

function scopeBelow(subscriptionId: string, scope: string): string {
  const [rg, ws, ...rest] = scope.split('/');
  if (rg === undefined || rg === '' || rest.length > 0) {
    throw new ApiError('InvalidParameter', `scope '${scope}' must be '<resourceGroup>' or '<resourceGroup>/<workspace>'.`);
  }
  return ws === undefined ? resourceGroupScope(subscriptionId, rg) : workspaceId(subscriptionId, rg, ws);
}

function checkUniqueHandles(dirs: DirectorySpec[], locate: (p: Path, m: string) => EnvironmentError): void {
  const seen = new Set<string>();
  for (const [d, dir] of dirs.entries()) {
    if (seen.has(dir.name)) throw locate(['directories', d, 'name'], `the directory name '${dir.name}' is used twice; names must be unique`);
    seen.add(dir.name);
    const inDir = new Set<string>();
    const kinds = [['users', dir.users], ['groups', dir.groups], ['servicePrincipals', dir.servicePrincipals], ['subscriptions', dir.subscriptions]] as const;
    for (const [kind, list] of kinds) {
      for (const [i, item] of list.entries()) {
        if (inDir.has(item.name)) throw locate(['directories', d, kind, i, 'name'], `the name '${item.name}' is used twice in directory '${dir.name}'; names must be unique within a directory`);
        inDir.add(item.name);
      }
    }
  }
}

function position(doc: Document, lc: LineCounter, path: Path): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

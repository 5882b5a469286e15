// The MSSP's view of Azure Lighthouse, as the Azure portal's "My customers": each customer
// directory that delegated a subscription or resource group to the user's directory, the offer,
// the user's own roles there (standing, or activated until a time) and eligible roles, each
// with its policy (longest activation, multifactor, approvers), the status of the user's latest
// request, and Activate (a justification and a duration: Azure PIM's SelfActivate request).
import { useState } from 'react';
import {
  Badge, Button, Card, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar,
  MessageBarBody, MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, Title3,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import type { DirectoryFilter } from '../../api/directory-filter.ts';
import {
  listMyActiveRoles, listMyCustomers, listMyEligibleRoles, listMyRequests, requestActivation,
  type ActivationRequest, type EligibleAuthorization, type ManagedDelegation, type RoleInstance,
} from '../../api/settings.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useFilter } from '../../shell/filter-context.tsx';
import { useLoad, type Loaded } from '../use-load.ts';
import { forgetPermissions } from '../../api/permissions.ts';
import { assignmentScope, durationText, hoursToDuration, roleGuid, sameScope, scopeName, useRoleName, when } from './shared.ts';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface EligibleRow {
  delegation: ManagedDelegation;
  instance: RoleInstance;
  policy: EligibleAuthorization | undefined;
  scope: string;
  latest: ActivationRequest | undefined;
}

export function MyCustomersSection({ filter, onChange }: { filter: DirectoryFilter; onChange(): void }) {
  const styles = useStyles();
  const { session } = useFilter();
  const roleName = useRoleName();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<{ customer: string; text: string } | undefined>(undefined);
  const refresh = () => { forgetPermissions(); setDone(undefined); setVersion((v) => v + 1); };
  const [customers, reloadCustomers] = useLoad(listMyCustomers, `customers/${version}`);
  const [eligible, reloadEligible] = useLoad(listMyEligibleRoles, `eligible/${version}`);
  const [active, reloadActive] = useLoad(listMyActiveRoles, `active/${version}`);
  const [requests, reloadRequests] = useLoad(listMyRequests, `requests/${version}`);
  const [activating, setActivating] = useState<EligibleRow | undefined>(undefined);

  // Scope names the role lists carry (a customer's subscription is not in the filter until a role there is active).
  const known = new Map<string, string>();
  for (const list of [eligible, active]) {
    if (list.status === 'ready') for (const i of list.value) known.set(i.properties.scope.toLowerCase(), i.properties.expandedProperties.scope.displayName);
  }

  const byCustomer = new Map<string, { name: string; delegations: ManagedDelegation[] }>();
  if (customers.status === 'ready') {
    for (const d of customers.value) {
      const def = d.properties.registrationDefinition?.properties;
      const id = def?.manageeTenantId ?? 'unknown';
      const entry = byCustomer.get(id) ?? { name: def?.manageeTenantName ?? id, delegations: [] };
      entry.delegations.push(d);
      byCustomer.set(id, entry);
    }
  }
  const ownDirectory = filter.available.directories.find((d) => !d.delegated)?.displayName ?? session.directoryName;

  return (
    <section className={styles.section} aria-labelledby="customers-heading">
      <div className={styles.header}>
        <Title3 as="h2" id="customers-heading">My customers</Title3>
        <span className={styles.spacer} />
        <Button icon={<ArrowClockwiseRegular />} onClick={refresh} aria-label="Refresh my customers">Refresh</Button>
      </div>
      <Text className={styles.secondary}>
        The customers that delegated subscriptions or resource groups to {ownDirectory} (Azure Lighthouse) with a role for you: your roles there,
        and your eligible (just-in-time) roles, which grant nothing until you activate them with a justification, for a limited time, and, where the
        customer named approvers, once one of them approves.
      </Text>
      {customers.status === 'loading' ? <Spinner size="small" label="Loading your customers…" />
        : customers.status === 'failed' ? <ErrorMessage title="Your customers could not be listed" error={customers.error} onRetry={reloadCustomers} />
        : byCustomer.size === 0 ? (
          <MessageBar intent="info"><MessageBarBody><MessageBarTitle>No customer</MessageBarTitle>No customer has delegated a subscription or resource group to {ownDirectory} with a role for you.</MessageBarBody></MessageBar>
        ) : [...byCustomer.entries()].map(([id, c]) => (
          <Card key={id} className={styles.card} role="region" aria-label={`Customer ${c.name}`}>
            <Text weight="semibold" size={400}>{c.name} <span className={styles.secondary}>({id})</span></Text>
            {done !== undefined && done.customer === id ? <MessageBar intent="success"><MessageBarBody>{done.text}</MessageBarBody></MessageBar> : null}
            {c.delegations.map((d) => (
              <Delegation key={d.id} delegation={d} filter={filter} known={known} roleName={roleName}
                eligible={eligible} active={active} requests={requests}
                retry={{ eligible: reloadEligible, active: reloadActive, requests: reloadRequests }}
                onActivate={(row) => setActivating(row)} />
            ))}
          </Card>
        ))}
      <ActivateDialog row={activating} principalId={session.user.id} roleName={roleName} scopeLabel={(s) => scopeName(s, filter, known)}
        onClose={() => setActivating(undefined)}
        onDone={(row, request) => {
          const customer = row.delegation.properties.registrationDefinition?.properties.manageeTenantId ?? 'unknown';
          const what = `${roleName(row.instance.properties.roleDefinitionId)} on ${scopeName(row.scope, filter, known)}`;
          const approvers = (row.policy?.justInTimeAccessPolicy?.managedByTenantApprovers ?? []).map((a) => a.principalIdDisplayName ?? a.principalId).join(', ');
          setDone({
            customer,
            text: request.properties.status === 'PendingApproval'
              ? `${what} was requested: it waits for approval by ${approvers || 'an approver'}.`
              : `${what} is active until ${when(request.properties.scheduleInfo.expiration.endDateTime)}. Reload the page to work in its subscription from the Directory + subscription filter.`,
          });
          setActivating(undefined);
          forgetPermissions();
          setVersion((v) => v + 1);
          onChange();
        }} />
    </section>
  );
}

function Delegation({ delegation, filter, known, roleName, eligible, active, requests, retry, onActivate }: {
  delegation: ManagedDelegation;
  filter: DirectoryFilter;
  known: ReadonlyMap<string, string>;
  roleName(id: string): string;
  eligible: Loaded<RoleInstance[]>;
  active: Loaded<RoleInstance[]>;
  requests: Loaded<ActivationRequest[]>;
  retry: { eligible(): void; active(): void; requests(): void };
  onActivate(row: EligibleRow): void;
}) {
  const styles = useStyles();
  const def = delegation.properties.registrationDefinition?.properties;
  const offer = def?.registrationDefinitionName ?? delegation.name;
  const scope = assignmentScope(delegation.id);
  const where = scopeName(scope, filter, known);
  const standing = (i: RoleInstance) => (def?.authorizations ?? []).some((a) => a.principalId.toLowerCase() === i.properties.principalId.toLowerCase() && roleGuid(a.roleDefinitionId) === roleGuid(i.properties.roleDefinitionId));
  const eligibleHere = (i: RoleInstance) => (def?.eligibleAuthorizations ?? []).find((e) => e.principalId.toLowerCase() === i.properties.principalId.toLowerCase() && roleGuid(e.roleDefinitionId) === roleGuid(i.properties.roleDefinitionId));
  const mine = active.status === 'ready' ? active.value.filter((i) => sameScope(i.properties.scope, scope) && (i.properties.assignmentType === 'Activated'
    ? (def?.eligibleAuthorizations ?? []).some((e) => roleGuid(e.roleDefinitionId) === roleGuid(i.properties.roleDefinitionId))
    : standing(i))) : [];
  const rows: EligibleRow[] = eligible.status === 'ready' ? eligible.value.filter((i) => sameScope(i.properties.scope, scope) && eligibleHere(i) !== undefined).map((instance) => ({
    delegation, instance, scope, policy: eligibleHere(instance),
    latest: requests.status === 'ready' ? requests.value.find((r) => sameScope(r.properties.scope, scope) && roleGuid(r.properties.roleDefinitionId) === roleGuid(instance.properties.roleDefinitionId)) : undefined,
  })) : [];
  const through = (i: RoleInstance) => i.properties.memberType === 'Direct' ? 'You' : i.properties.expandedProperties.principal.displayName;

  return (
    <div className={styles.section}>
      <Text><Text weight="semibold">{offer}</Text> on {where} <span className={styles.secondary}>· managed by {def?.managedByTenantName ?? def?.managedByTenantId}</span></Text>
      {active.status === 'loading' ? <Spinner size="tiny" label="Loading your roles…" />
        : active.status === 'failed' ? <ErrorMessage title="Your roles could not be listed" error={active.error} onRetry={retry.active} />
        : mine.length === 0 ? <Text className={styles.secondary}>You hold no active role on {where} through this offer.</Text>
        : (
          <Table className={styles.table} aria-label={`Your roles on ${where} (${offer})`} size="small">
            <TableHeader><TableRow><TableHeaderCell>Role</TableHeaderCell><TableHeaderCell>Through</TableHeaderCell><TableHeaderCell>Kind</TableHeaderCell></TableRow></TableHeader>
            <TableBody>
              {mine.map((i) => (
                <TableRow key={i.id}>
                  <TableCell>{i.properties.expandedProperties.roleDefinition.displayName}</TableCell>
                  <TableCell>{through(i)}</TableCell>
                  <TableCell>{i.properties.assignmentType === 'Activated' ? `Activated, until ${when(i.properties.endDateTime)}` : 'Standing'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      {eligible.status === 'loading' || requests.status === 'loading' ? <Spinner size="tiny" label="Loading your eligible roles…" />
        : eligible.status === 'failed' ? <ErrorMessage title="Your eligible roles could not be listed" error={eligible.error} onRetry={retry.eligible} />
        : requests.status === 'failed' ? <ErrorMessage title="Your activation requests could not be listed" error={requests.error} onRetry={retry.requests} />
        : rows.length === 0 ? <Text className={styles.secondary}>No eligible role for you on {where} through this offer.</Text>
        : (
          <Table className={styles.table} aria-label={`Your eligible roles on ${where} (${offer})`} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Eligible role</TableHeaderCell><TableHeaderCell>Through</TableHeaderCell><TableHeaderCell>Longest activation</TableHeaderCell>
                <TableHeaderCell>Multifactor</TableHeaderCell><TableHeaderCell>Approvers</TableHeaderCell><TableHeaderCell>Status</TableHeaderCell><TableHeaderCell>Action</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => {
                const role = roleName(row.instance.properties.roleDefinitionId);
                const policy = row.policy?.justInTimeAccessPolicy;
                const busy = row.latest?.properties.status === 'PendingApproval' || row.latest?.properties.status === 'Provisioned';
                return (
                  <TableRow key={row.instance.id}>
                    <TableCell>{role}</TableCell>
                    <TableCell>{through(row.instance)}</TableCell>
                    <TableCell>{durationText(policy?.maximumActivationDuration)}</TableCell>
                    <TableCell>{policy?.multiFactorAuthProvider === 'Azure' ? 'Required (Azure)' : 'Not required'}</TableCell>
                    <TableCell>{(policy?.managedByTenantApprovers ?? []).map((p) => p.principalIdDisplayName ?? p.principalId).join(', ') || 'None: active at once'}</TableCell>
                    <TableCell><RequestStatusBadge request={row.latest} label={`${role} on ${where}`} /></TableCell>
                    <TableCell>
                      <Button size="small" appearance={busy ? 'secondary' : 'primary'} disabled={busy} aria-label={`Activate ${role} on ${where}`} onClick={() => onActivate(row)}>Activate</Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
    </div>
  );
}

/** Where a request stands: pending approval, active until a time, expired, denied. */
export function RequestStatusBadge({ request, label }: { request: ActivationRequest | undefined; label: string }) {
  if (request === undefined) return <Text aria-label={`${label}: not activated`}>Not activated</Text>;
  const p = request.properties;
  const [color, state, detail] = p.status === 'PendingApproval' ? ['warning', 'Pending approval', `requested ${when(p.createdOn)}`] as const
    : p.status === 'Provisioned' ? ['success', 'Active', `until ${when(p.scheduleInfo.expiration.endDateTime)}`] as const
    : p.status === 'Expired' ? ['informative', 'Expired', when(p.scheduleInfo.expiration.endDateTime)] as const
    : ['danger', 'Denied', ''] as const;
  return (
    <Text aria-label={`${label}: ${state}${detail === '' ? '' : ` ${detail}`}`}>
      <Badge appearance="tint" color={color}>{state}</Badge>{detail === '' ? null : <Text size={200}> {detail}</Text>}
    </Text>
  );
}

function ActivateDialog({ row, principalId, roleName, scopeLabel, onClose, onDone }: {
  row: EligibleRow | undefined;
  principalId: string;
  roleName(id: string): string;
  scopeLabel(scope: string): string;
  onClose(): void;
  onDone(row: EligibleRow, request: ActivationRequest): void;
}) {
  const styles = useStyles();
  const [justification, setJustification] = useState('');
  const [hours, setHours] = useState('1');
  const [hoursError, setHoursError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const policy = row?.policy?.justInTimeAccessPolicy;
  const role = row === undefined ? '' : roleName(row.instance.properties.roleDefinitionId);
  const where = row === undefined ? '' : scopeLabel(row.scope);
  const approvers = (policy?.managedByTenantApprovers ?? []).map((a) => a.principalIdDisplayName ?? a.principalId);

  const close = () => { if (busy) return; setError(undefined); setHoursError(undefined); setJustification(''); setHours('1'); onClose(); };
  const submit = async () => {
    if (row === undefined) return;
    const duration = hoursToDuration(hours);
    if (duration === undefined) {
      setHoursError(`"${hours}" is not a duration: enter the hours as a number greater than 0 (at most ${durationText(policy?.maximumActivationDuration)}), such as 1 or 0.5.`);
      return;
    }
    setHoursError(undefined);
    setBusy(true);
    setError(undefined);
    try {
      const request = await requestActivation(row.scope, { principalId, roleDefinitionId: row.instance.properties.roleDefinitionId, justification, duration });
      setJustification('');
      setHours('1');
      onDone(row, request);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={row !== undefined} onOpenChange={(_e, d) => { if (!d.open) close(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <DialogBody>
            <DialogTitle>Activate {role} on {where}</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                {approvers.length > 0
                  ? <>Your request goes to the approvers the customer named ({approvers.join(', ')}); the role is active once one of them approves it.</>
                  : <>The customer named no approvers: the role is active as soon as you ask.</>}
                {' '}It ends by itself when the time is up.
              </Text>
              {policy?.multiFactorAuthProvider === 'Azure' ? (
                <MessageBar intent="warning"><MessageBarBody><MessageBarTitle>Multifactor authentication</MessageBarTitle>
                  The customer asks for Azure multifactor authentication to activate this role. Vigil has no second factor yet: the request is made with your current sign-in, and the requirement is recorded, not enforced.
                </MessageBarBody></MessageBar>
              ) : null}
              <Field label="Justification" required hint="Why you need the role: shown to the approvers and kept in the request.">
                <Textarea value={justification} onChange={(_e, d) => setJustification(d.value)} resize="vertical" />
              </Field>
              <Field label="Duration (hours)" required hint={`At most ${durationText(policy?.maximumActivationDuration)} (${policy?.maximumActivationDuration ?? ''}).`}
                validationState={hoursError === undefined ? 'none' : 'error'} validationMessage={hoursError}>
                <Input value={hours} onChange={(_e, d) => setHours(d.value)} inputMode="decimal" />
              </Field>
              {error !== undefined ? <ErrorMessage title="The role could not be activated" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" disabled={busy} onClick={close}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Requesting…' : approvers.length > 0 ? 'Request activation' : 'Activate'}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

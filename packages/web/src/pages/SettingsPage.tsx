// Settings: resource provider registration of each selected subscription (verify, then
// register, as Microsoft Sentinel's prerequisites describe), the customer's view of the
// Lighthouse delegations on its own subscriptions (each MSSP offer with its authorizations;
// revoke), the MSSP's view (my customers, activating an eligible role, approving requests:
// settings/MyCustomersSection.tsx, settings/ApprovalsSection.tsx), and a subscription's
// activity log. What the user may do at a subscription is read first
// (GET .../providers/Microsoft.Authorization/permissions), so the page never asks for what the
// server would refuse: it says what is missing instead.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Badge, Button, Card, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar,
  MessageBarBody, MessageBarTitle, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
  Text, Title2, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { armList } from '../api/arm-client.ts';
import type { AvailableSubscription, DirectoryFilter } from '../api/directory-filter.ts';
import {
  SENTINEL_PROVIDERS, getProvider, latestActivity, listDelegations, registerProvider, revokeDelegation,
  type RegistrationAssignment, type RegistrationState, type RoleDefinition,
} from '../api/settings.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { useFilter } from '../shell/filter-context.tsx';
import { useLoad } from './use-load.ts';
import { ACTIVITY_READ, PROVIDERS_READ, registerAction } from './settings/permissions.ts';
import { allowsAction, forgetPermissions, permissionsOf } from '../api/permissions.ts';
import { MyCustomersSection } from './settings/MyCustomersSection.tsx';
import { ApprovalsSection } from './settings/ApprovalsSection.tsx';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const POLL_MS = 2000;
const POLL_LIMIT = 150;

export default function SettingsPage() {
  const styles = useStyles();
  const { state, reload } = useFilter();
  // Bumped by a registration, a revocation or a decided request, so the activity log shows it.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((c) => c + 1);
  // Permissions are read afresh on each visit of the page.
  useState(() => forgetPermissions());
  return (
    <div className={styles.page}>
      <Title2 as="h1">Settings</Title2>
      {state.status === 'failed' ? <ErrorMessage title="Your directories and subscriptions could not be loaded" error={state.error} onRetry={reload} />
        : state.status === 'loading' ? <Spinner label="Loading your subscriptions…" />
        : (
          <>
            <ProvidersSection filter={state.filter} onChange={changed} />
            <DelegationsSection filter={state.filter} onChange={changed} />
            <MyCustomersSection filter={state.filter} onChange={changed} />
            <ApprovalsSection filter={state.filter} onChange={changed} />
            <ActivitySection filter={state.filter} changes={changes} />
          </>
        )}
    </div>
  );
}

const directoryName = (filter: DirectoryFilter, id: string) => filter.available.directories.find((d) => d.id === id.toLowerCase())?.displayName ?? id;

// --- Resource providers -----------------------------------------------------------------

function ProvidersSection({ filter, onChange }: { filter: DirectoryFilter; onChange(): void }) {
  const styles = useStyles();
  const selected = filter.available.subscriptions.filter((s) => filter.subscriptions.includes(s.id.toLowerCase()));
  return (
    <section className={styles.section} aria-labelledby="providers-heading">
      <Title3 as="h2" id="providers-heading">Resource providers</Title3>
      <Text className={styles.secondary}>
        Microsoft Sentinel needs Microsoft.OperationalInsights and Microsoft.SecurityInsights registered in the subscription of its workspace.
        Verify their state for each selected subscription, and register one that is not. Registering needs a role of the subscription&apos;s own
        directory that allows it (Owner or Contributor); a delegation does not.
      </Text>
      {selected.length === 0 ? (
        <MessageBar intent="info"><MessageBarBody><MessageBarTitle>No subscription selected</MessageBarTitle>Choose subscriptions in the Directory + subscription filter at the top.</MessageBarBody></MessageBar>
      ) : (
        <Table className={styles.table} aria-label="Resource providers">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Subscription</TableHeaderCell>
              <TableHeaderCell>Directory</TableHeaderCell>
              <TableHeaderCell>Provider</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {selected.flatMap((sub) => SENTINEL_PROVIDERS.map((ns) => (
              <ProviderRow key={`${sub.id}/${ns}`} filter={filter} subscription={sub} namespace={ns} onChange={onChange} />
            )))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

const STATE_COLOR: Record<string, 'success' | 'danger' | 'warning' | 'informative'> = { Registered: 'success', NotRegistered: 'danger', Registering: 'warning', Unregistering: 'warning' };

const subscriptionScope = (id: string) => `/subscriptions/${id}`;

/** A subscription's row for one provider: what the user may do there is read first. */
function ProviderRow({ filter, subscription, namespace, onChange }: { filter: DirectoryFilter; subscription: AvailableSubscription; namespace: string; onChange(): void }) {
  const styles = useStyles();
  const [perms, reloadPerms] = useLoad(() => permissionsOf(subscriptionScope(subscription.id)), `permissions/${subscription.id}`);
  const label = `${namespace} in ${subscription.displayName}`;
  const where = (
    <>
      <TableCell>{subscription.displayName}</TableCell>
      <TableCell>{directoryName(filter, subscription.directoryId)}{subscription.delegated ? <> <Badge appearance="tint" color="brand">Delegated</Badge></> : null}</TableCell>
      <TableCell>{namespace}</TableCell>
    </>
  );
  if (perms.status !== 'ready' || !allowsAction(perms.value, PROVIDERS_READ)) {
    return (
      <TableRow>
        {where}
        <TableCell>
          {perms.status === 'loading' ? <Spinner size="tiny" label="Checking your access…" />
            : perms.status === 'failed' ? <ErrorMessage title={`Your access to ${subscription.displayName} could not be read`} error={perms.error} onRetry={reloadPerms} />
            : <Text aria-label={`${label}: not readable`} className={styles.secondary}>You cannot read providers in this subscription (needs {PROVIDERS_READ}).</Text>}
        </TableCell>
        <TableCell />
      </TableRow>
    );
  }
  return <ProviderState subscription={subscription} namespace={namespace} canRegister={allowsAction(perms.value, registerAction(namespace))} onChange={onChange} where={where} />;
}

function ProviderState({ subscription, namespace, canRegister, onChange, where }: { subscription: AvailableSubscription; namespace: string; canRegister: boolean; onChange(): void; where: ReactNode }) {
  const styles = useStyles();
  const [loaded, reload] = useLoad(() => getProvider(subscription.id, namespace), `${subscription.id}/${namespace}`);
  const [registering, setRegistering] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const state: RegistrationState | undefined = loaded.status === 'ready' ? loaded.value.registrationState : undefined;

  // Registration is asynchronous in Azure: read the state again until it settles.
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (state !== 'Registering' && state !== 'Unregistering') return;
    if (polls >= POLL_LIMIT) return;
    const timer = setTimeout(() => { setPolls((p) => p + 1); reload(); }, POLL_MS);
    return () => clearTimeout(timer);
  }, [state, polls, reload]);

  const register = async () => {
    setRegistering(true);
    setError(undefined);
    try {
      await registerProvider(subscription.id, namespace);
      setPolls(0);
      reload();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setRegistering(false);
    }
  };

  const label = `${namespace} in ${subscription.displayName}`;
  return (
    <TableRow>
      {where}
      <TableCell>
        {loaded.status === 'loading' ? <Spinner size="tiny" label="Checking…" />
          : loaded.status === 'failed' ? <ErrorMessage title={`The state of ${label} could not be read`} error={loaded.error} onRetry={reload} />
          : <Badge appearance="tint" color={STATE_COLOR[loaded.value.registrationState] ?? 'informative'} aria-label={`${label}: ${loaded.value.registrationState}`}>{loaded.value.registrationState}</Badge>}
      </TableCell>
      <TableCell>
        {state === undefined || state === 'Registered' ? null : subscription.delegated ? (
          <div className={styles.actions}>
            <Button size="small" disabled aria-label={`Register ${label}`} aria-describedby={`why-${subscription.id}-${namespace}`}>Register</Button>
            <Text size={200} id={`why-${subscription.id}-${namespace}`} className={styles.secondary}>
              Only the customer can register it: a delegation does not allow registering providers.
            </Text>
          </div>
        ) : !canRegister ? (
          <div className={styles.actions}>
            <Button size="small" disabled aria-label={`Register ${label}`} aria-describedby={`why-${subscription.id}-${namespace}`}>Register</Button>
            <Text size={200} id={`why-${subscription.id}-${namespace}`} className={styles.secondary}>
              You cannot register providers in this subscription (needs {registerAction(namespace)}).
            </Text>
          </div>
        ) : (
          <div className={styles.actions}>
            <Button size="small" appearance="primary" aria-label={`Register ${label}`} disabled={registering || state !== 'NotRegistered'} onClick={() => void register()}>
              {registering || state === 'Registering' ? 'Registering…' : 'Register'}
            </Button>
          </div>
        )}
        {error !== undefined ? <ErrorMessage title={`${namespace} could not be registered`} error={error} /> : null}
      </TableCell>
    </TableRow>
  );
}

// --- Delegations (the customer's view) -------------------------------------------------

function DelegationsSection({ filter, onChange }: { filter: DirectoryFilter; onChange(): void }) {
  const styles = useStyles();
  const own = filter.available.subscriptions.filter((s) => !s.delegated);
  const [roles] = useLoad(() => armList<RoleDefinition>('/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01'), 'roles');
  const roleName = (id: string) => {
    const guid = id.split('/').pop()!.toLowerCase();
    return roles.status === 'ready' ? roles.value.find((r) => r.name.toLowerCase() === guid)?.properties.roleName ?? guid : guid;
  };
  return (
    <section className={styles.section} aria-labelledby="delegations-heading">
      <Title3 as="h2" id="delegations-heading">Service provider offers</Title3>
      <Text className={styles.secondary}>
        The offers of managed service providers delegated on your own subscriptions (Azure Lighthouse), with the access each grants.
        Revoking an offer ends the provider&apos;s access at once.
      </Text>
      {own.length === 0 ? (
        <MessageBar intent="info"><MessageBarBody><MessageBarTitle>No subscription of your own</MessageBarTitle>Your directory has no subscription you can reach; offers are managed by the subscription&apos;s own directory.</MessageBarBody></MessageBar>
      ) : own.map((sub) => <SubscriptionDelegations key={sub.id} subscription={sub} roleName={roleName} onChange={onChange} />)}
    </section>
  );
}

function SubscriptionDelegations({ subscription, roleName, onChange }: { subscription: AvailableSubscription; roleName(id: string): string; onChange(): void }) {
  const styles = useStyles();
  const [loaded, reload] = useLoad(() => listDelegations(subscription.id), subscription.id);
  const [revoking, setRevoking] = useState<RegistrationAssignment | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const revoke = async () => {
    if (revoking === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await revokeDelegation(revoking.id);
      setDone(revoking.properties.registrationDefinition?.properties.registrationDefinitionName ?? revoking.name);
      setRevoking(undefined);
      reload();
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.section}>
      <Text weight="semibold">{subscription.displayName}</Text>
      {done !== undefined ? <MessageBar intent="success"><MessageBarBody>The offer {done} was revoked: its provider no longer reaches this subscription.</MessageBarBody></MessageBar> : null}
      {loaded.status === 'loading' ? <Spinner size="small" label="Loading offers…" />
        : loaded.status === 'failed' ? <ErrorMessage title={`The offers on ${subscription.displayName} could not be listed`} error={loaded.error} onRetry={reload} />
        : loaded.value.length === 0 ? <Text className={styles.secondary}>No service provider offer is delegated on this subscription.</Text>
        : loaded.value.map((a) => {
          const def = a.properties.registrationDefinition?.properties;
          const offer = def?.registrationDefinitionName ?? a.name;
          return (
            <Card key={a.id} className={styles.card} aria-label={`Offer ${offer}`} role="region">
              <div className={styles.header}>
                <Text weight="semibold" size={400}>{offer}</Text>
                <span className={styles.spacer} />
                <Button onClick={() => { setError(undefined); setRevoking(a); }}>Revoke</Button>
              </div>
              <Text>Managed by {def?.managedByTenantName ?? 'an unknown directory'} <span className={styles.secondary}>({def?.managedByTenantId ?? 'unknown'})</span></Text>
              {def?.description ? <Text className={styles.secondary}>{def.description}</Text> : null}
              <Table className={styles.table} aria-label={`Authorizations of ${offer}`} size="small">
                <TableHeader><TableRow><TableHeaderCell>Principal</TableHeaderCell><TableHeaderCell>Role</TableHeaderCell></TableRow></TableHeader>
                <TableBody>
                  {(def?.authorizations ?? []).map((z, i) => (
                    <TableRow key={i}><TableCell>{z.principalIdDisplayName ?? z.principalId}</TableCell><TableCell>{roleName(z.roleDefinitionId)}</TableCell></TableRow>
                  ))}
                </TableBody>
              </Table>
              {(def?.eligibleAuthorizations ?? []).length > 0 ? (
                <Table className={styles.table} aria-label={`Eligible authorizations of ${offer}`} size="small">
                  <TableHeader><TableRow><TableHeaderCell>Eligible principal</TableHeaderCell><TableHeaderCell>Role</TableHeaderCell><TableHeaderCell>Longest activation</TableHeaderCell><TableHeaderCell>Multifactor</TableHeaderCell><TableHeaderCell>Approvers</TableHeaderCell></TableRow></TableHeader>
                  <TableBody>
                    {(def?.eligibleAuthorizations ?? []).map((e, i) => (
                      <TableRow key={i}>
                        <TableCell>{e.principalIdDisplayName ?? e.principalId}</TableCell>
                        <TableCell>{roleName(e.roleDefinitionId)}</TableCell>
                        <TableCell>{e.justInTimeAccessPolicy?.maximumActivationDuration ?? ''}</TableCell>
                        <TableCell>{e.justInTimeAccessPolicy?.multiFactorAuthProvider ?? 'None'}</TableCell>
                        <TableCell>{(e.justInTimeAccessPolicy?.managedByTenantApprovers ?? []).map((p) => p.principalIdDisplayName ?? p.principalId).join(', ') || 'None'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              ) : null}
            </Card>
          );
        })}
      <Dialog open={revoking !== undefined} onOpenChange={(_e, d) => { if (!d.open && !busy) setRevoking(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Revoke {revoking?.properties.registrationDefinition?.properties.registrationDefinitionName ?? revoking?.name}?</DialogTitle>
            <DialogContent>
              <Text block>
                {revoking?.properties.registrationDefinition?.properties.managedByTenantName ?? 'The provider'} will lose all access to {subscription.displayName} at once,
                and its users will no longer see it. To delegate it again, the offer must be deployed again.
              </Text>
              {error !== undefined ? <ErrorMessage title="The offer could not be revoked" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" disabled={busy} onClick={() => setRevoking(undefined)}>Cancel</Button>
              <Button appearance="primary" disabled={busy} onClick={() => void revoke()}>{busy ? 'Revoking…' : 'Revoke'}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}

// --- Activity log ------------------------------------------------------------------------

function ActivitySection({ filter, changes }: { filter: DirectoryFilter; changes: number }) {
  const styles = useStyles();
  const subs = filter.available.subscriptions;
  const initial = subs.find((s) => filter.subscriptions.includes(s.id.toLowerCase())) ?? subs[0];
  const [chosen, setChosen] = useState<string | undefined>(initial?.id);
  const [attempt, setAttempt] = useState(0);
  return (
    <section className={styles.section} aria-labelledby="activity-heading">
      <div className={styles.header}>
        <Title3 as="h2" id="activity-heading">Activity log</Title3>
        <span className={styles.spacer} />
        <Field label="Subscription" orientation="horizontal">
          <Select value={chosen ?? ''} onChange={(_e, d) => setChosen(d.value)}>
            {subs.map((s) => <option key={s.id} value={s.id}>{s.displayName}</option>)}
          </Select>
        </Field>
        <Button icon={<ArrowClockwiseRegular />} onClick={() => setAttempt((a) => a + 1)}>Refresh</Button>
      </div>
      {chosen === undefined ? <Text className={styles.secondary}>No subscription to show.</Text> : <ActivityLog key={chosen} subscriptionId={chosen} version={`${changes}/${attempt}`} />}
    </section>
  );
}

/** The log of one subscription, read only where the user's permissions allow it. */
function ActivityLog({ subscriptionId, version }: { subscriptionId: string; version: string }) {
  const styles = useStyles();
  const [perms, reloadPerms] = useLoad(() => permissionsOf(subscriptionScope(subscriptionId)), `permissions/${subscriptionId}`);
  if (perms.status === 'loading') return <Spinner size="small" label="Checking your access…" />;
  if (perms.status === 'failed') return <ErrorMessage title="Your access to this subscription could not be read" error={perms.error} onRetry={reloadPerms} />;
  if (!allowsAction(perms.value, ACTIVITY_READ)) return <Text className={styles.secondary}>You cannot read the activity log of this subscription (needs {ACTIVITY_READ}).</Text>;
  return <ActivityTable subscriptionId={subscriptionId} version={version} />;
}

function ActivityTable({ subscriptionId, version }: { subscriptionId: string; version: string }) {
  const styles = useStyles();
  const [loaded, reload] = useLoad(() => latestActivity(subscriptionId), `${subscriptionId}/${version}`);
  return loaded.status === 'loading' ? <Spinner size="small" label="Loading the activity log…" />
    : loaded.status === 'failed' ? <ErrorMessage title="The activity log could not be read" error={loaded.error} onRetry={reload} />
    : loaded.value.length === 0 ? <Text className={styles.secondary}>No events in this subscription.</Text>
    : (
      <Table className={styles.table} aria-label="Activity log" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Time</TableHeaderCell>
            <TableHeaderCell>Operation</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Caller</TableHeaderCell>
            <TableHeaderCell>Through</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {loaded.value.map((e) => (
            <TableRow key={e.id}>
              <TableCell>{new Date(e.eventTimestamp).toLocaleString()}</TableCell>
              <TableCell>{e.operationName.localizedValue}</TableCell>
              <TableCell>{e.status.localizedValue}</TableCell>
              <TableCell>{e.caller ?? ''}</TableCell>
              <TableCell>{e.properties?.delegatedThrough ? <Badge appearance="tint" color="brand" title={e.properties.delegatedThrough}>Delegated</Badge> : 'Own directory'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
}

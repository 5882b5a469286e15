// The data connectors of one Microsoft Sentinel workspace of the selection (picked here, or
// given as ?workspace=<ARM id> from the Workspaces list): each with its kind, status, last data,
// volume and, for Syslog and CEF, the port it listens on; deploying one and removing one.
// A delegation does not allow deploying (Sentinel's MSSP limitation, which the server enforces):
// in a customer's workspace the page offers to sign in directly to the customer's directory,
// with the account the user has there (a guest account), and comes back here.
import { useEffect, useState } from 'react';
import {
  Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input,
  MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Spinner, Table, TableBody, TableCell,
  TableHeader, TableHeaderCell, TableRow, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, PersonArrowRightRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../api/workspaces.ts';
import { WorkspaceChooser } from '../shell/WorkspaceChooser.tsx';
import {
  DEPLOYABLE_KINDS, deployConnector, hasReceiver, listConnectors, removeConnector, type DataConnector,
} from '../api/data-connectors.ts';
import { startSignIn } from '../auth/session.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { useFilter } from '../shell/filter-context.tsx';
import { useLoad } from './use-load.ts';
import { VISUALLY_HIDDEN } from '../shell/visually-hidden.ts';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});


export default function DataConnectorsPage() {
  const styles = useStyles();
  const { session } = useFilter();
  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Title2 as="h1">Data connectors</Title2>
      </div>
      <WorkspaceChooser context={false}>
        {(workspace) => <WorkspaceConnectors workspace={workspace} userName={session.user.userName} />}
      </WorkspaceChooser>
    </div>
  );
}

function WorkspaceConnectors({ workspace, userName }: { workspace: SentinelWorkspace; userName: string }) {
  const styles = useStyles();
  const [connectors, reload] = useLoad(() => listConnectors(workspace.id), workspace.id);
  const [deployOpen, setDeployOpen] = useState(false);
  const [removing, setRemoving] = useState<DataConnector>();
  const [removeError, setRemoveError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const delegated = workspace.delegated;

  const remove = async (c: DataConnector) => {
    setBusy(true);
    setRemoveError(undefined);
    try {
      await removeConnector(workspace.id, c.name);
      setRemoving(undefined);
      reload();
    } catch (error) {
      setRemoving(undefined);
      setRemoveError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className={styles.toolbar}>
        <Text className={styles.secondary}>
          {workspace.name} · {workspace.directoryName} · {workspace.subscriptionName} · {workspace.resourceGroup}{' '}
        </Text>
        {delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}
        <span className={styles.spacer} />
        <Button appearance="primary" icon={<AddRegular />} disabled={delegated} onClick={() => setDeployOpen(true)}>Deploy connector</Button>
        <Button icon={<ArrowClockwiseRegular />} onClick={reload} disabled={connectors.status === 'loading'}>Refresh</Button>
      </div>
      {delegated ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Data connectors need a direct sign-in</MessageBarTitle>
            You reach {workspace.name} through a delegation from {workspace.directoryName}. A delegation lets you see its data connectors,
            but not deploy or remove them: sign in directly to {workspace.directoryName} with the account you have there (a guest
            account, for example), and you come back to this page.
          </MessageBarBody>
          <MessageBarActions>
            <Button icon={<PersonArrowRightRegular />} onClick={() => { void startSignIn(workspace.directoryId, { loginHint: userName, returnTo: location.pathname + location.search }); }}>
              Sign in to {workspace.directoryName}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {removeError !== undefined ? <ErrorMessage title="The connector could not be removed" error={removeError} /> : null}
      {connectors.status === 'loading' ? <Spinner label="Loading data connectors…" />
        : connectors.status === 'failed' ? <ErrorMessage title="The data connectors could not be listed" error={connectors.error} onRetry={reload} />
        : connectors.value.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No data connectors</MessageBarTitle>{workspace.name} has no data connector yet.</MessageBarBody>
          </MessageBar>
        ) : (
          <Table className={styles.table} aria-label="Data connectors">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Last data</TableHeaderCell>
                <TableHeaderCell>Volume (14 days)</TableHeaderCell>
                <TableHeaderCell>Listening on</TableHeaderCell>
                <TableHeaderCell><span style={VISUALLY_HIDDEN}>Actions</span></TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {connectors.value.map((c) => (
                <TableRow key={c.id} data-connector={c.name}>
                  <TableCell><Text weight="semibold">{c.name}</Text></TableCell>
                  <TableCell>{kindLabel(c.kind)}</TableCell>
                  <TableCell><ConnectorStatus connector={c} /></TableCell>
                  <TableCell>{lastData(c)}</TableCell>
                  <TableCell>{volume(c)}</TableCell>
                  <TableCell>{listening(c)}</TableCell>
                  <TableCell>
                    <Button size="small" icon={<DeleteRegular />} disabled={delegated} aria-label={`Remove ${c.name}`} onClick={() => setRemoving(c)}>Remove</Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      <DeployDialog open={deployOpen} workspace={workspace} onCancel={() => setDeployOpen(false)} onDeployed={() => { setDeployOpen(false); reload(); }} />
      <Dialog open={removing !== undefined} onOpenChange={(_e, d) => { if (!d.open) setRemoving(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Remove {removing?.name}?</DialogTitle>
            <DialogContent>
              {removing !== undefined && hasReceiver(removing.kind)
                ? `Its receiver stops listening: messages sent to it are no longer taken into ${workspace.name}. The data already taken stays.`
                : `The connector is removed from ${workspace.name}. The data already taken stays.`}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => { if (removing !== undefined) void remove(removing); }}>Remove</Button>
              <Button onClick={() => setRemoving(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

const kindLabel = (kind: string) => DEPLOYABLE_KINDS.find((k) => k.kind === kind)?.label ?? kind;

function ConnectorStatus({ connector }: { connector: DataConnector }) {
  const status = connector.properties.connectivity;
  if (status?.receiving) return <Badge appearance="filled" color="success">Connected</Badge>;
  if (hasReceiver(connector.kind) && status?.listening === null) return <Badge appearance="filled" color="danger">Not listening</Badge>;
  if (status?.lastEventTime) return <Badge appearance="tint" color="warning">No recent data</Badge>;
  return <Badge appearance="outline" color="informative">Waiting for data</Badge>;
}

function lastData(c: DataConnector): string {
  const last = c.properties.connectivity?.lastEventTime;
  return last ? new Date(last).toLocaleString() : 'None yet';
}

function volume(c: DataConnector): string {
  const days = c.properties.connectivity?.days ?? [];
  const events = days.reduce((n, d) => n + d.events, 0);
  const bytes = days.reduce((n, d) => n + d.bytes, 0);
  return `${events.toLocaleString()} ${events === 1 ? 'event' : 'events'}, ${formatBytes(bytes)}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function listening(c: DataConnector): string {
  if (!hasReceiver(c.kind)) return '—';
  const l = c.properties.connectivity?.listening;
  return l ? `${String(l.protocol).toUpperCase()} ${l.port}` : 'Not listening';
}

function DeployDialog({ open, workspace, onCancel, onDeployed }: { open: boolean; workspace: SentinelWorkspace; onCancel(): void; onDeployed(): void }) {
  const styles = useStyles();
  const [kind, setKind] = useState<string>('Syslog');
  const [name, setName] = useState('syslog');
  const [protocol, setProtocol] = useState('udp');
  const [port, setPort] = useState('514');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) { setKind('Syslog'); setName('syslog'); setProtocol('udp'); setPort('514'); setError(undefined); }
  }, [open]);
  const portNumber = Number(port);
  const portInvalid = hasReceiver(kind) && (port.trim() === '' || !Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535);
  const nameInvalid = !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name);

  const submit = async () => {
    if (portInvalid || nameInvalid) return;
    setBusy(true);
    setError(undefined);
    try {
      await deployConnector(workspace.id, name, kind, hasReceiver(kind) ? { protocol, port: portNumber } : {});
      onDeployed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <DialogBody>
            <DialogTitle>Deploy a data connector</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>In {workspace.name} ({workspace.directoryName}).</Text>
              <Field label="Kind" required>
                <Select value={kind} onChange={(_e, d) => {
                  setKind(d.value);
                  setName(d.value.toLowerCase());
                  if (d.value === 'CEF' && port === '514') setPort('515');
                  if (d.value === 'Syslog' && port === '515') setPort('514');
                }}>
                  {DEPLOYABLE_KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
                </Select>
              </Field>
              <Field label="Name" required validationState={nameInvalid ? 'error' : 'none'}
                validationMessage={nameInvalid ? 'Letters, digits, dots, dashes and underscores, starting with a letter or digit.' : undefined}>
                <Input value={name} onChange={(_e, d) => setName(d.value)} />
              </Field>
              {hasReceiver(kind) ? (
                <>
                  <Field label="Protocol" required>
                    <Select value={protocol} onChange={(_e, d) => setProtocol(d.value)}>
                      <option value="udp">UDP</option>
                      <option value="tcp">TCP</option>
                      <option value="tls">TLS (TCP)</option>
                    </Select>
                  </Field>
                  <Field label="Port" required hint="0 lets the server choose a free port." validationState={portInvalid ? 'error' : 'none'}
                    validationMessage={portInvalid ? 'A port from 0 to 65535.' : undefined}>
                    <Input type="number" min={0} max={65535} value={port} onChange={(_e, d) => setPort(d.value)} />
                  </Field>
                </>
              ) : null}
              {error !== undefined ? <ErrorMessage title="The connector could not be deployed" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Deploying…' : 'Deploy'}</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

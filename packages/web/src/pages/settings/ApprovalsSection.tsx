// Requests to approve: the just-in-time requests of eligible authorizations that name the user
// as an approver (roleAssignmentScheduleRequests?$filter=asApprover()), newest first, with who
// asks, for which role, where, why and for how long; Approve or Deny a pending one (POST
// .../{name}/approve or /deny). A refusal is shown with the server's message.
import { useState } from 'react';
import {
  Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import type { DirectoryFilter } from '../../api/directory-filter.ts';
import { decideRequest, listMyCustomers, listRequestsToApprove, type ActivationRequest } from '../../api/settings.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useLoad } from '../use-load.ts';
import { RequestStatusBadge } from './MyCustomersSection.tsx';
import { assignmentScope, durationText, sameScope, scopeName, useRoleName, when } from './shared.ts';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  secondary: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  justification: { overflowWrap: 'anywhere' },
  wide: { width: '24%' },
  decision: { width: '180px' },
});

export function ApprovalsSection({ filter, onChange }: { filter: DirectoryFilter; onChange(): void }) {
  const styles = useStyles();
  const roleName = useRoleName();
  const [version, setVersion] = useState(0);
  const [requests, reload] = useLoad(listRequestsToApprove, `approvals/${version}`);
  // The customers' names, for where each request applies.
  const [customers] = useLoad(listMyCustomers, 'approvals/customers');
  const [deciding, setDeciding] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<{ intent: 'success'; text: string } | { intent: 'error'; title: string; error: unknown } | undefined>(undefined);

  const customerOf = (scope: string) => {
    if (customers.status !== 'ready') return '';
    const d = customers.value.find((c) => sameScope(assignmentScope(c.id), scope));
    return d?.properties.registrationDefinition?.properties.manageeTenantName ?? '';
  };

  const decide = async (r: ActivationRequest, verb: 'approve' | 'deny') => {
    const who = r.properties.expandedProperties?.principal.displayName ?? r.properties.principalId;
    const what = `${who}'s request for ${roleName(r.properties.roleDefinitionId)} on ${scopeName(r.properties.scope, filter)}`;
    setDeciding(r.id);
    setOutcome(undefined);
    try {
      const decided = await decideRequest(r.id, verb);
      setOutcome({ intent: 'success', text: verb === 'approve'
        ? `You approved ${what}: active until ${when(decided.properties.scheduleInfo.expiration.endDateTime)}.`
        : `You denied ${what}.` });
      setVersion((v) => v + 1);
      onChange();
    } catch (e) {
      setOutcome({ intent: 'error', title: `${what} could not be ${verb === 'approve' ? 'approved' : 'denied'}`, error: e });
      // The list may be stale (decided elsewhere): read it again beside the refusal.
      setVersion((v) => v + 1);
    } finally {
      setDeciding(undefined);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="approvals-heading">
      <div className={styles.header}>
        <Title3 as="h2" id="approvals-heading">Requests to approve</Title3>
        <span className={styles.spacer} />
        <Button icon={<ArrowClockwiseRegular />} onClick={() => setVersion((v) => v + 1)} aria-label="Refresh requests to approve">Refresh</Button>
      </div>
      <Text className={styles.secondary}>
        Activation requests of eligible roles whose customer named you as an approver. Nobody approves their own request.
      </Text>
      {outcome?.intent === 'success' ? <MessageBar intent="success"><MessageBarBody>{outcome.text}</MessageBarBody></MessageBar>
        : outcome?.intent === 'error' ? <ErrorMessage title={outcome.title} error={outcome.error} /> : null}
      {requests.status === 'loading' ? <Spinner size="small" label="Loading requests…" />
        : requests.status === 'failed' ? <ErrorMessage title="The requests to approve could not be listed" error={requests.error} onRetry={reload} />
        : requests.value.length === 0 ? <Text>No request waits for your approval.</Text>
        : (
          <Table className={styles.table} aria-label="Requests to approve" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Requester</TableHeaderCell><TableHeaderCell>Role</TableHeaderCell><TableHeaderCell>Where</TableHeaderCell>
                <TableHeaderCell className={styles.wide}>Justification</TableHeaderCell><TableHeaderCell>Duration</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell><TableHeaderCell className={styles.decision}>Decision</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {requests.value.map((r) => {
                const who = r.properties.expandedProperties?.principal.displayName ?? r.properties.principalId;
                const role = roleName(r.properties.roleDefinitionId);
                const label = `${who}'s ${role}`;
                return (
                  <TableRow key={r.id}>
                    <TableCell>{who}</TableCell>
                    <TableCell>{role}</TableCell>
                    <TableCell>{scopeName(r.properties.scope, filter)}{customerOf(r.properties.scope) === '' ? '' : ` (${customerOf(r.properties.scope)})`}</TableCell>
                    <TableCell className={styles.justification}>{r.properties.justification}</TableCell>
                    <TableCell>{durationText(r.properties.scheduleInfo.expiration.duration)}</TableCell>
                    <TableCell><RequestStatusBadge request={r} label={label} /></TableCell>
                    <TableCell>
                      {r.properties.status === 'PendingApproval' ? (
                        <div className={styles.actions}>
                          <Button size="small" appearance="primary" disabled={deciding !== undefined} aria-label={`Approve ${label}`} onClick={() => void decide(r, 'approve')}>Approve</Button>
                          <Button size="small" disabled={deciding !== undefined} aria-label={`Deny ${label}`} onClick={() => void decide(r, 'deny')}>Deny</Button>
                        </div>
                      ) : <Text className={styles.secondary}>Decided</Text>}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
    </section>
  );
}

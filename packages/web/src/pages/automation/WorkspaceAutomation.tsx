// The automation rules of one workspace, in the order they run: order, name, trigger, conditions,
// actions, enabled (a switch: the rule saved again with its etag), expiry; create, edit, delete.
import { useState } from 'react';
import {
  Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, MessageBar, MessageBarActions,
  MessageBarBody, MessageBarTitle, Spinner, Switch, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import {
  actionText, conditionText, deleteRule, listRules, ruleProperties, saveRule, TRIGGER_LABELS, triggerOf, type AutomationRule,
} from '../../api/automation.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useLoad } from '../use-load.ts';
import { formatTime } from '../format.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { usePermissions } from '../use-permissions.ts';
import { VISUALLY_HIDDEN } from '../../shell/visually-hidden.ts';
import { isConflict } from '../../api/arm-client.ts';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  order: { width: '56px' },
  secondary: { color: tokens.colorNeutralForeground3 },
});


export function WorkspaceAutomation({ workspace }: { workspace: SentinelWorkspace }) {
  const styles = useStyles();
  const [rules, reload] = useLoad(() => listRules(workspace.id), workspace.id);
  const [editing, setEditing] = useState<AutomationRule | 'new'>();
  const [deleting, setDeleting] = useState<AutomationRule>();
  const [failure, setFailure] = useState<{ what: string; error: unknown }>();
  const [busy, setBusy] = useState<string>();
  const permissions = usePermissions(workspace.id);
  const canWrite = !permissions.loading && permissions.allows('Microsoft.SecurityInsights/automationRules/write');
  const canDelete = !permissions.loading && permissions.allows('Microsoft.SecurityInsights/automationRules/delete');

  const toggle = async (rule: AutomationRule, enabled: boolean) => {
    setBusy(rule.name);
    setFailure(undefined);
    try {
      const p = ruleProperties(rule);
      await saveRule(workspace.id, rule.name, { ...p, triggeringLogic: { ...p.triggeringLogic, isEnabled: enabled } }, rule.etag);
      reload();
    } catch (error) {
      setFailure({ what: `${rule.properties.displayName} could not be ${enabled ? 'enabled' : 'disabled'}`, error });
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async (rule: AutomationRule) => {
    setBusy(rule.name);
    setFailure(undefined);
    try {
      await deleteRule(workspace.id, rule.name);
      reload();
    } catch (error) {
      setFailure({ what: `${rule.properties.displayName} could not be deleted`, error });
    } finally {
      setDeleting(undefined);
      setBusy(undefined);
    }
  };

  const list = rules.status === 'ready' ? rules.value : [];
  const now = Date.now();
  return (
    <>
      <div className={styles.toolbar}>
        <Text>Automation rules act on {workspace.name}'s incidents without a person, one after the other in their order.</Text>
        <span className={styles.spacer} />
        <Button appearance="primary" icon={<AddRegular />} disabled={!canWrite} onClick={() => setEditing('new')}>Create rule</Button>
        <Button icon={<ArrowClockwiseRegular />} onClick={() => { setFailure(undefined); reload(); }} disabled={rules.status === 'loading'}>Refresh</Button>
      </div>
      {!permissions.loading && (!permissions.allows('Microsoft.SecurityInsights/automationRules/write') || !permissions.allows('Microsoft.SecurityInsights/automationRules/delete')) ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>You can read these automation rules, not change them</MessageBarTitle>
            Your roles in {workspace.directoryName}{workspace.delegated ? ' (through the delegation to your directory)' : ''} allow reading
            the automation rules of {workspace.name}, but not creating, changing or deleting them (Microsoft.SecurityInsights/automationRules/write
            and delete). Microsoft Sentinel Responder or Contributor may.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {failure !== undefined ? (
        isConflict(failure.error) ? (
          <MessageBar intent="warning" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>This rule was changed since the list was read — refresh</MessageBarTitle>
              Someone (or a script) saved it after this page read it, so {failure.what.replace(/ could not be .*/, '')} was not changed, and nothing was overwritten. Refresh to see the rule as it is now, then make your change again. ({failure.error instanceof Error ? failure.error.message : ''})
            </MessageBarBody>
            <MessageBarActions><Button onClick={() => { setFailure(undefined); reload(); }}>Refresh</Button></MessageBarActions>
          </MessageBar>
        ) : <ErrorMessage title={failure.what} error={failure.error} />
      ) : null}
      {rules.status === 'loading' ? <Spinner label="Loading automation rules…" />
        : rules.status === 'failed' ? <ErrorMessage title="The automation rules could not be listed" error={rules.error} onRetry={reload} />
        : list.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No automation rules</MessageBarTitle>{workspace.name} has no automation rule yet. Create one to assign, triage or add tasks to incidents as they arrive.</MessageBarBody>
          </MessageBar>
        ) : (
          <Table className={styles.table} aria-label="Automation rules">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.order}>Order</TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Trigger</TableHeaderCell>
                <TableHeaderCell>Conditions</TableHeaderCell>
                <TableHeaderCell>Actions</TableHeaderCell>
                <TableHeaderCell>Enabled</TableHeaderCell>
                <TableHeaderCell>Expires</TableHeaderCell>
                <TableHeaderCell><span style={VISUALLY_HIDDEN}>Actions on the rule</span></TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((rule) => {
                const p = rule.properties;
                const t = p.triggeringLogic;
                const conditions = t.conditions ?? [];
                const expiry = t.expirationTimeUtc ?? undefined;
                const expired = expiry !== undefined && Date.parse(expiry) <= now;
                return (
                  <TableRow key={rule.id} data-rule={rule.name}>
                    <TableCell>{p.order}</TableCell>
                    <TableCell><Text weight="semibold">{p.displayName}</Text></TableCell>
                    <TableCell>{TRIGGER_LABELS[triggerOf(t)]}</TableCell>
                    <TableCell>
                      {conditions.length === 0 ? <span className={styles.secondary}>Always</span>
                        : <ul className={styles.list}>{conditions.map((c, i) => <li key={i}>{conditionText(c)}</li>)}</ul>}
                    </TableCell>
                    <TableCell><ul className={styles.list}>{[...p.actions].sort((a, b) => a.order - b.order).map((a, i) => <li key={i}>{actionText(a)}</li>)}</ul></TableCell>
                    <TableCell>
                      <Switch checked={t.isEnabled} disabled={busy === rule.name || !canWrite} aria-label={`${p.displayName} enabled`}
                        label={t.isEnabled ? 'On' : 'Off'} onChange={(_e, d) => { void toggle(rule, d.checked); }} />
                    </TableCell>
                    <TableCell>
                      {expiry === undefined ? <span className={styles.secondary}>Never</span>
                        : <>{formatTime(expiry)}{expired ? <> <Badge appearance="tint" color="warning">Expired</Badge></> : null}</>}
                    </TableCell>
                    <TableCell>
                      <div className={styles.actions}>
                        <Button size="small" icon={<EditRegular />} disabled={!canWrite} aria-label={`Edit ${p.displayName}`} onClick={() => setEditing(rule)}>Edit</Button>
                        <Button size="small" icon={<DeleteRegular />} disabled={!canDelete} aria-label={`Delete ${p.displayName}`} onClick={() => setDeleting(rule)}>Delete</Button>
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      <RuleEditor
        rule={editing}
        workspace={workspace}
        nextOrder={list.reduce((m, r) => Math.max(m, r.properties.order), 0) + 1}
        onCancel={() => setEditing(undefined)}
        onSaved={() => { setEditing(undefined); reload(); }}
        onReload={() => { setEditing(undefined); reload(); }}
      />
      <Dialog open={deleting !== undefined} onOpenChange={(_e, d) => { if (!d.open) setDeleting(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {deleting?.properties.displayName}?</DialogTitle>
            <DialogContent>The rule stops acting on {workspace.name}'s incidents. What it already changed stays.</DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy !== undefined} onClick={() => { if (deleting !== undefined) void remove(deleting); }}>Delete</Button>
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

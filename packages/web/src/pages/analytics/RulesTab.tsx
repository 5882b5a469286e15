// The workspace's analytics rules with their health (the runs API: the last run and its result,
// alerts raised by the recent runs), enable/disable, delete after a confirmation, export of the
// selected rules as an ARM template and import of one.
import { useMemo, useRef, useState } from 'react';
import {
  Badge, Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Menu, MenuItem, MenuList,
  MenuPopover, MenuTrigger, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader,
  TableHeaderCell, TableRow, Text, Toolbar, Tooltip, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular, ArrowDownloadRegular, ArrowUploadRegular, MoreHorizontalRegular } from '@fluentui/react-icons';
import { deleteRule, listRules, ruleRuns, saveRule, type AlertRule, type RuleKind } from '../../api/analytics.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { formatTime } from '../format.ts';
import { useLoad } from '../use-load.ts';
import { rulesToArmTemplate } from './arm-template.ts';
import { ImportDialog } from './ImportDialog.tsx';
import { blankDraft, draftFromRule, editableProperties, type RuleDraft } from './rule-draft.ts';
import { SeverityBadge, tacticLabel } from './badges.tsx';
import type { RulePermissions } from './permissions.ts';
import { VISUALLY_HIDDEN } from '../../shell/visually-hidden.ts';

const useStyles = makeStyles({
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', marginBottom: tokens.spacingVerticalM },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  check: { width: '40px' },
  secondary: { color: tokens.colorNeutralForeground3 },
  name: { fontWeight: tokens.fontWeightSemibold, textAlign: 'left', height: 'auto', minWidth: 0, padding: 0, whiteSpace: 'normal' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, alignItems: 'flex-start' },
  errorText: { color: tokens.colorPaletteRedForeground1 },
  messages: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalM },
});

/** Runs read per rule for its health: the last and the alerts of these. */
const RUNS_READ = 200;

export function RulesTab({ workspace, permissions, onOpen }: { workspace: SentinelWorkspace; permissions: RulePermissions; onOpen(draft: RuleDraft): void }) {
  const styles = useStyles();
  const [rules, refresh] = useLoad(() => listRules(workspace.id), workspace.id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deleting, setDeleting] = useState<AlertRule>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<{ title: string; error: unknown }>();
  const [notice, setNotice] = useState<string>();
  const [importOpen, setImportOpen] = useState(false);
  // Each answer of the list reads the listed rules' runs again (never those of a rule no longer listed).
  const answers = useRef(0);
  const generation = useMemo(() => ++answers.current, [rules]);

  const items = rules.status === 'ready' ? [...rules.value].sort((a, b) => a.properties.displayName.localeCompare(b.properties.displayName)) : [];
  const chosen = items.filter((r) => selected.has(r.name));
  const toggle = (name: string, on: boolean) => setSelected((s) => { const n = new Set(s); if (on) n.add(name); else n.delete(name); return n; });

  const setEnabled = async (rule: AlertRule, enabled: boolean) => {
    setBusy(true);
    setActionError(undefined);
    setNotice(undefined);
    try {
      await saveRule(workspace.id, rule.name, rule.kind, { ...editableProperties(rule), enabled }, rule.etag);
      setNotice(`${rule.properties.displayName} is ${enabled ? 'enabled' : 'disabled'}.`);
      refresh();
    } catch (error) {
      setActionError({ title: `${rule.properties.displayName} could not be ${enabled ? 'enabled' : 'disabled'}`, error });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (rule: AlertRule) => {
    setBusy(true);
    setActionError(undefined);
    setNotice(undefined);
    try {
      await deleteRule(workspace.id, rule.name);
      setDeleting(undefined);
      setSelected((s) => { const n = new Set(s); n.delete(rule.name); return n; });
      setNotice(`${rule.properties.displayName} was deleted.`);
      refresh();
    } catch (error) {
      setDeleting(undefined);
      setActionError({ title: `${rule.properties.displayName} could not be deleted`, error });
    } finally {
      setBusy(false);
    }
  };

  const exportSelected = () => {
    const json = JSON.stringify(rulesToArmTemplate(chosen), null, 2);
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `analytics-rules-${workspace.name}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNotice(`${chosen.length} rule${chosen.length === 1 ? '' : 's'} exported as an ARM template (${a.download}).`);
  };

  const create = (kind: RuleKind) => onOpen(blankDraft(kind));
  const canWrite = !permissions.loading && permissions.write;

  return (
    <>
      <Toolbar aria-label="Rule actions" className={styles.toolbar}>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button appearance="primary" icon={<AddRegular />} disabled={!canWrite}>Create</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => create('Scheduled')}>Scheduled query rule</MenuItem>
              <MenuItem onClick={() => create('NRT')}>NRT query rule</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Button icon={<ArrowUploadRegular />} disabled={!canWrite} onClick={() => setImportOpen(true)}>Import</Button>
        <Button icon={<ArrowDownloadRegular />} disabled={chosen.length === 0} onClick={exportSelected}>
          Export{chosen.length > 0 ? ` (${chosen.length})` : ''}
        </Button>
        <Button icon={<ArrowClockwiseRegular />} onClick={refresh} disabled={rules.status === 'loading'}>Refresh</Button>
      </Toolbar>
      <div className={styles.messages}>
        {notice !== undefined ? <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar> : null}
        {actionError !== undefined ? <ErrorMessage title={actionError.title} error={actionError.error} /> : null}
      </div>
      {rules.status === 'loading' ? <Spinner label="Loading analytics rules…" />
        : rules.status === 'failed' ? <ErrorMessage title="The analytics rules could not be listed" error={rules.error} onRetry={refresh} />
        : items.length === 0 ? (
          <MessageBar intent="info">
            <MessageBarBody><MessageBarTitle>No analytics rules</MessageBarTitle>{workspace.name} has no analytics rule yet. Create one, start from a rule template, or import an exported ARM template.</MessageBarBody>
          </MessageBar>
        ) : (
          <Table className={styles.table} aria-label="Analytics rules" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.check}>
                  <Checkbox aria-label="Select all rules" checked={chosen.length === 0 ? false : chosen.length === items.length ? true : 'mixed'}
                    onChange={(_e, d) => setSelected(d.checked === true ? new Set(items.map((r) => r.name)) : new Set())} />
                </TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Severity</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Tactics</TableHeaderCell>
                <TableHeaderCell>Last run</TableHeaderCell>
                <TableHeaderCell>Alerts</TableHeaderCell>
                <TableHeaderCell>Last modified</TableHeaderCell>
                <TableHeaderCell className={styles.check}><span style={VISUALLY_HIDDEN}>Actions</span></TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((r) => (
                <RuleRow key={r.name} workspace={workspace} rule={r} generation={generation} selected={selected.has(r.name)} busy={busy} canWrite={canWrite} canDelete={!permissions.loading && permissions.delete}
                  onSelect={(on) => toggle(r.name, on)} onEdit={() => onOpen(draftFromRule(r))}
                  onEnable={(on) => { void setEnabled(r, on); }} onDelete={() => setDeleting(r)} />
              ))}
            </TableBody>
          </Table>
        )}
      <ImportDialog open={importOpen} workspace={workspace} existing={new Set(items.map((r) => r.name.toLowerCase()))}
        onClose={(imported) => { setImportOpen(false); if (imported) refresh(); }} />
      <Dialog open={deleting !== undefined} onOpenChange={(_e, d) => { if (!d.open) setDeleting(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {deleting?.properties.displayName}?</DialogTitle>
            <DialogContent>
              The rule stops running in {workspace.name}. The alerts and incidents it raised stay.
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => { if (deleting !== undefined) void remove(deleting); }}>Delete</Button>
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

interface RowProps {
  workspace: SentinelWorkspace;
  rule: AlertRule;
  generation: number;
  selected: boolean;
  busy: boolean;
  canWrite: boolean;
  canDelete: boolean;
  onSelect(on: boolean): void;
  onEdit(): void;
  onEnable(on: boolean): void;
  onDelete(): void;
}

function RuleRow({ workspace, rule, generation, selected, busy, canWrite, canDelete, onSelect, onEdit, onEnable, onDelete }: RowProps) {
  const styles = useStyles();
  const p = rule.properties;
  const name = p.displayName;
  return (
    <TableRow data-rule={rule.name}>
      <TableCell><Checkbox aria-label={`Select ${name}`} checked={selected} onChange={(_e, d) => onSelect(d.checked === true)} /></TableCell>
      <TableCell>
        <div className={styles.stack}>
          <Button appearance="transparent" className={styles.name} onClick={onEdit}>{name}</Button>
          <Text size={200} className={styles.secondary}>
            {rule.kind === 'NRT' ? 'NRT' : 'Scheduled'}{p.alertRuleTemplateName ? ' · from a template' : ''}
          </Text>
          {p.templateVersionAvailable !== undefined ? <Badge appearance="outline" color="warning" size="small">Template version {p.templateVersionAvailable} available</Badge> : null}
        </div>
      </TableCell>
      <TableCell><SeverityBadge severity={p.severity} /></TableCell>
      <TableCell>
        <div className={styles.stack}>
          {p.enabled ? <Badge appearance="filled" color="success">Enabled</Badge> : <Badge appearance="outline" color="informative">Disabled</Badge>}
          {p.disabledReason ? <Text size={200} className={styles.errorText}>{p.disabledReason}</Text> : null}
        </div>
      </TableCell>
      <TableCell><Text size={200}>{p.tactics.map(tacticLabel).join(', ') || '—'}</Text></TableCell>
      <RuleHealth workspace={workspace} rule={rule} generation={generation} />
      <TableCell><Text size={200}>{formatTime(p.lastModifiedUtc)}</Text></TableCell>
      <TableCell>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Tooltip content={`Actions for ${name}`} relationship="label">
              <Button appearance="subtle" icon={<MoreHorizontalRegular />} disabled={busy} />
            </Tooltip>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={onEdit}>{canWrite ? 'Edit' : 'View'}</MenuItem>
              <MenuItem disabled={!canWrite} onClick={() => onEnable(!p.enabled)}>{p.enabled ? 'Disable' : 'Enable'}</MenuItem>
              <MenuItem disabled={!canDelete} onClick={onDelete}>Delete</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </TableCell>
    </TableRow>
  );
}

/** The last run and the alerts of the recent runs, each rule's loaded on its own. */
function RuleHealth({ workspace, rule, generation }: { workspace: SentinelWorkspace; rule: AlertRule; generation: number }) {
  const styles = useStyles();
  const [runs, reload] = useLoad(() => ruleRuns(workspace.id, rule.name, RUNS_READ), `${workspace.id} ${rule.name} ${generation}`);
  if (runs.status === 'loading') return <><TableCell><Spinner size="extra-tiny" label="Loading runs…" /></TableCell><TableCell /></>;
  if (runs.status === 'failed') {
    return (
      <TableCell colSpan={2}>
        <div className={styles.stack}>
          <Text size={200} className={styles.errorText}>Runs could not be read: {(runs.error as Error).message}</Text>
          <Button size="small" onClick={reload}>Try again</Button>
        </div>
      </TableCell>
    );
  }
  const last = runs.value.value[0];
  const alerts = runs.value.value.reduce((n, r) => n + r.alerts, 0);
  const failed = runs.value.value.filter((r) => r.status === 'Failed').length;
  return (
    <>
      <TableCell>
        {last === undefined ? <Text size={200} className={styles.secondary}>Not run yet</Text> : (
          <div className={styles.stack}>
            <Text size={200}>{formatTime(last.startedAt)}</Text>
            {last.status === 'Failed'
              ? <><Badge appearance="filled" color="danger">Failed</Badge><Text size={200} className={styles.errorText}>{last.error}</Text></>
              : <Badge appearance="tint" color="success">{`Succeeded · ${last.rows} row${last.rows === 1 ? '' : 's'}`}</Badge>}
          </div>
        )}
      </TableCell>
      <TableCell>
        <div className={styles.stack}>
          <Text size={200}>{runs.value.value.length === 0 ? '—' : `${alerts} in ${runs.value.value.length} run${runs.value.value.length === 1 ? '' : 's'}`}</Text>
          {failed > 0 ? <Text size={200} className={styles.errorText}>{`${failed} failed`}</Text> : null}
        </div>
      </TableCell>
    </>
  );
}

// The analytics rule wizard, with Sentinel's steps: General, Set rule logic (with "Test with
// current data"), Incident settings, Review + create. It saves with the alertRules PUT (an edit
// sends the etag it was opened with: a rule changed meanwhile is refused, 412, and said so).
// The server checks the rule; each problem it names is shown at its field and in a summary, and
// the step holding the first one is opened. Nothing entered is lost by a refusal.
import { useState, type ReactNode } from 'react';
import {
  Badge, Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Divider, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Radio, RadioGroup,
  Select, Switch, Tab, TabList, Text, Textarea, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import {
  ENTITY_IDENTIFIERS, ENTITY_TYPES, SEVERITIES, TACTICS, TRIGGER_OPERATORS, fieldErrors, getRule, saveRule,
} from '../../api/analytics.ts';
import { ApiError, isConflict } from '../../api/arm-client.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { tacticLabel } from './badges.tsx';
import { describeDuration, draftFromRule, isoOf, propertiesOf, stepOf, type Duration, type RuleDraft, type Step } from './rule-draft.ts';
import { TestPanel } from './TestPanel.tsx';
import type { RulePermissions } from './permissions.ts';
import { VISUALLY_HIDDEN } from '../../shell/visually-hidden.ts';

const useStyles = makeStyles({
  wizard: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  tactics: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: `0 ${tokens.spacingHorizontalM}` },
  query: { fontFamily: tokens.fontFamilyMonospace },
  mapping: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS },
  review: { display: 'grid', gridTemplateColumns: '220px minmax(0, 1fr)', gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}` },
  reviewValue: { whiteSpace: 'pre-wrap', wordBreak: 'break-word' },
  secondary: { color: tokens.colorNeutralForeground3 },
  durationAmount: { width: '90px' },
});


const STEPS: { value: Step; label: string }[] = [
  { value: 'general', label: 'General' },
  { value: 'logic', label: 'Set rule logic' },
  { value: 'incident', label: 'Incident settings' },
  { value: 'review', label: 'Review + create' },
];

export function RuleWizard({ workspace, permissions, initial, onClose }: { workspace: SentinelWorkspace; permissions: RulePermissions; initial: RuleDraft; onClose(saved: boolean): void }) {
  const styles = useStyles();
  const [draft, setDraft] = useState(initial);
  const [step, setStep] = useState<Step>('general');
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<unknown>();
  const [reloading, setReloading] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const editing = initial.etag !== undefined;
  const canSave = !permissions.loading && permissions.write;
  const errors = fieldErrors(refusal);
  const set = (change: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...change }));
  const err = (target: string) => errors.get(`properties.${target}`);
  const stepErrors = (s: Step) => [...errors.keys()].filter((t) => stepOf(t) === s).length;
  const conflict = isConflict(refusal);

  const save = async () => {
    setSaving(true);
    setRefusal(undefined);
    try {
      await saveRule(workspace.id, draft.name, draft.kind, propertiesOf(draft), draft.etag);
      onClose(true);
    } catch (error) {
      setRefusal(error);
      const first = [...fieldErrors(error).keys()][0];
      if (first !== undefined) setStep(stepOf(first));
    } finally {
      setSaving(false);
    }
  };

  /** After a 412: the rule as it is now, replacing what was entered (the user asked for it). */
  const reloadRule = async () => {
    setReloading(true);
    try {
      const current = await getRule(workspace.id, draft.name);
      setDraft(draftFromRule(current));
      setRefusal(undefined);
    } catch (error) {
      setRefusal(error);
    } finally {
      setReloading(false);
    }
  };

  const index = STEPS.findIndex((s) => s.value === step);
  const title = editing ? `${canSave ? 'Edit' : 'View'} analytics rule: ${initial.displayName}` : `Create ${draft.kind === 'NRT' ? 'NRT' : 'scheduled'} analytics rule`;
  return (
    <section className={styles.wizard} aria-label="Analytics rule wizard">
      <Title3 as="h2">{title}</Title3>
      {draft.alertRuleTemplateName !== null ? (
        <Text className={styles.secondary}>From template {draft.alertRuleTemplateName}{draft.templateVersion !== null ? `, version ${draft.templateVersion}` : ''}.</Text>
      ) : null}
      {refusal !== undefined ? (
        conflict ? (
          <MessageBar intent="error" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>The rule was changed since you opened it</MessageBarTitle>
              Someone saved {initial.displayName} after you opened it, so your changes were not saved (they are still here). Open the current
              version to start again from it, or cancel. {(refusal as Error).message} ({(refusal as ApiError).code})
            </MessageBarBody>
            <MessageBarActions>
              <Button disabled={reloading} onClick={() => { void reloadRule(); }}>Open the current version</Button>
            </MessageBarActions>
          </MessageBar>
        ) : <ErrorMessage title={editing ? 'The rule could not be saved' : 'The rule could not be created'} error={refusal} />
      ) : null}
      <TabList selectedValue={step} onTabSelect={(_e, d) => setStep(d.value as Step)} aria-label="Wizard steps">
        {STEPS.map((s) => {
          const n = stepErrors(s.value);
          return (
            <Tab key={s.value} value={s.value}>
              {s.label}
              {n > 0 ? <Badge size="small" color="danger" appearance="filled" style={{ marginLeft: 6 }} aria-hidden="true">{n}</Badge> : null}
              {n > 0 ? <span style={VISUALLY_HIDDEN}>{` (${n} problem${n === 1 ? '' : 's'})`}</span> : null}
            </Tab>
          );
        })}
      </TabList>
      <div role="tabpanel" aria-label={STEPS[index]!.label} className={styles.section}>
        {step === 'general' ? <GeneralStep draft={draft} set={set} err={err} />
          : step === 'logic' ? <LogicStep draft={draft} set={set} err={err} workspace={workspace} canTest={permissions.loading || permissions.test} />
          : step === 'incident' ? <IncidentStep draft={draft} set={set} err={err} />
          : <ReviewStep draft={draft} canSave={canSave} />}
      </div>
      <Divider />
      <div className={styles.buttons}>
        {index > 0 ? <Button onClick={() => setStep(STEPS[index - 1]!.value)}>Previous</Button> : null}
        {index < STEPS.length - 1 ? <Button appearance="primary" onClick={() => setStep(STEPS[index + 1]!.value)}>Next: {STEPS[index + 1]!.label}</Button> : null}
        {step === 'review' && canSave ? (
          <Button appearance="primary" disabled={saving} onClick={() => { void save(); }}>{saving ? 'Saving…' : editing ? 'Save' : 'Create'}</Button>
        ) : null}
        <Button onClick={() => { if (canSave && draft !== initial) setConfirmDiscard(true); else onClose(false); }}>{canSave ? 'Cancel' : 'Close'}</Button>
      </div>
      <Dialog open={confirmDiscard} onOpenChange={(_e, d) => { if (!d.open) setConfirmDiscard(false); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Discard your changes?</DialogTitle>
            <DialogContent>What you entered in the wizard is not saved and will be lost.</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => onClose(false)}>Discard</Button>
              <Button onClick={() => setConfirmDiscard(false)}>Keep editing</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

interface StepProps {
  draft: RuleDraft;
  set(change: Partial<RuleDraft>): void;
  err(target: string): string | undefined;
}

const invalid = (message: string | undefined) => (message === undefined ? {} : { validationState: 'error' as const, validationMessage: message });

function GeneralStep({ draft, set, err }: StepProps) {
  const styles = useStyles();
  return (
    <>
      <Field label="Name" required {...invalid(err('displayName'))}>
        <Input value={draft.displayName} onChange={(_e, d) => set({ displayName: d.value })} />
      </Field>
      <Field label="Description" {...invalid(err('description'))}>
        <Textarea value={draft.description} resize="vertical" rows={3} onChange={(_e, d) => set({ description: d.value })} />
      </Field>
      <fieldset className={styles.mapping}>
        <legend>Tactics</legend>
        <div className={styles.tactics}>
          {TACTICS.map((t) => (
            <Checkbox key={t} label={tacticLabel(t)} checked={draft.tactics.includes(t)}
              onChange={(_e, d) => set({ tactics: d.checked === true ? [...draft.tactics, t] : draft.tactics.filter((x) => x !== t) })} />
          ))}
        </div>
        {err('tactics') !== undefined ? <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>{err('tactics')}</Text> : null}
      </fieldset>
      <Field label="Techniques" hint="MITRE ATT&CK ids, separated by commas: T1110, T1110.003" {...invalid(err('techniques') ?? err('subTechniques'))}>
        <Input value={draft.techniques} onChange={(_e, d) => set({ techniques: d.value })} />
      </Field>
      <div className={styles.row}>
        <Field label="Severity" {...invalid(err('severity'))}>
          <Select value={draft.severity} onChange={(_e, d) => set({ severity: d.value })}>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Field>
        <Field label="Status">
          <Switch checked={draft.enabled} label={draft.enabled ? 'Enabled' : 'Disabled'} onChange={(_e, d) => set({ enabled: d.checked })} />
        </Field>
      </div>
    </>
  );
}

function DurationField({ label, value, onChange, error, hint }: { label: string; value: Duration; onChange(d: Duration): void; error?: string; hint?: string }) {
  const styles = useStyles();
  return (
    <Field label={label} hint={hint} {...invalid(error)}>
      <div className={styles.row} role="group">
        <Input className={styles.durationAmount} aria-label={`${label}, amount`} inputMode="numeric" value={value.amount} onChange={(_e, d) => onChange({ ...value, amount: d.value })} />
        <Select aria-label={`${label}, unit`} value={value.unit} onChange={(_e, d) => onChange({ ...value, unit: d.value as Duration['unit'] })}>
          <option value="M">Minutes</option>
          <option value="H">Hours</option>
          <option value="D">Days</option>
        </Select>
      </div>
    </Field>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <Text as="h3" weight="semibold" size={400}>{title}</Text>
      {children}
    </section>
  );
}

function LogicStep({ draft, set, err, workspace, canTest }: StepProps & { workspace: SentinelWorkspace; canTest: boolean }) {
  const styles = useStyles();
  const updateMapping = (i: number, change: Partial<RuleDraft['entityMappings'][number]>) =>
    set({ entityMappings: draft.entityMappings.map((m, j) => (j === i ? { ...m, ...change } : m)) });
  return (
    <>
      <Field label="Rule query" required hint={draft.kind === 'NRT' ? 'Runs on every arrival of rows in this workspace.' : 'KQL over this workspace (workspace() reaches others you may read).'} {...invalid(err('query'))}>
        <Textarea className={styles.query} value={draft.query} rows={10} resize="vertical" onChange={(_e, d) => set({ query: d.value })} />
      </Field>

      <Section title="Alert enhancement: entity mapping">
        {draft.entityMappings.map((m, i) => (
          <div key={i} className={styles.mapping} role="group" aria-label={`Entity mapping ${i + 1}`}>
            <div className={styles.row}>
              <Field label="Entity type" {...invalid(err(`entityMappings.${i}.entityType`))}>
                <Select value={m.entityType} onChange={(_e, d) => updateMapping(i, { entityType: d.value, fieldMappings: [{ identifier: ENTITY_IDENTIFIERS[d.value]?.[0] ?? '', columnName: m.fieldMappings[0]?.columnName ?? '' }] })}>
                  {ENTITY_TYPES.includes(m.entityType) ? null : <option value={m.entityType}>{m.entityType}</option>}
                  {ENTITY_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                </Select>
              </Field>
              <Button icon={<DeleteRegular />} aria-label={`Remove entity mapping ${i + 1}`} onClick={() => set({ entityMappings: draft.entityMappings.filter((_m, j) => j !== i) })}>Remove</Button>
            </div>
            {m.fieldMappings.map((f, k) => (
              <div key={k} className={styles.row}>
                <Field label="Identifier" {...invalid(err(`entityMappings.${i}.fieldMappings.${k}.identifier`))}>
                  <Select value={f.identifier} onChange={(_e, d) => updateMapping(i, { fieldMappings: m.fieldMappings.map((x, y) => (y === k ? { ...x, identifier: d.value } : x)) })}>
                    {(ENTITY_IDENTIFIERS[m.entityType] ?? []).includes(f.identifier) ? null : <option value={f.identifier}>{f.identifier}</option>}
                    {(ENTITY_IDENTIFIERS[m.entityType] ?? []).map((id) => <option key={id} value={id}>{id}</option>)}
                  </Select>
                </Field>
                <Field label="Column" {...invalid(err(`entityMappings.${i}.fieldMappings.${k}.columnName`))}>
                  <Input value={f.columnName} onChange={(_e, d) => updateMapping(i, { fieldMappings: m.fieldMappings.map((x, y) => (y === k ? { ...x, columnName: d.value } : x)) })} />
                </Field>
                {m.fieldMappings.length > 1 ? (
                  <Button icon={<DeleteRegular />} aria-label={`Remove identifier ${k + 1} of entity mapping ${i + 1}`}
                    onClick={() => updateMapping(i, { fieldMappings: m.fieldMappings.filter((_x, y) => y !== k) })} />
                ) : null}
              </div>
            ))}
            {err(`entityMappings.${i}.fieldMappings`) !== undefined ? <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>{err(`entityMappings.${i}.fieldMappings`)}</Text> : null}
            {m.fieldMappings.length < 3 ? (
              <div><Button size="small" icon={<AddRegular />} onClick={() => updateMapping(i, { fieldMappings: [...m.fieldMappings, { identifier: (ENTITY_IDENTIFIERS[m.entityType] ?? []).find((id) => !m.fieldMappings.some((x) => x.identifier === id)) ?? '', columnName: '' }] })}>Add identifier</Button></div>
            ) : null}
          </div>
        ))}
        {err('entityMappings') !== undefined ? <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>{err('entityMappings')}</Text> : null}
        {draft.entityMappings.length < 10 ? (
          <div><Button icon={<AddRegular />} onClick={() => set({ entityMappings: [...draft.entityMappings, { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: '' }] }] })}>Add new entity</Button></div>
        ) : <Text className={styles.secondary}>A rule maps at most 10 entities.</Text>}
      </Section>

      <Section title="Alert enhancement: custom details">
        {draft.customDetails.map((c, i) => (
          <div key={i} className={styles.row}>
            <Field label="Key" {...invalid(err(`customDetails.${c.key}`))}>
              <Input value={c.key} onChange={(_e, d) => set({ customDetails: draft.customDetails.map((x, j) => (j === i ? { ...x, key: d.value } : x)) })} />
            </Field>
            <Field label="Value (column)">
              <Input value={c.column} onChange={(_e, d) => set({ customDetails: draft.customDetails.map((x, j) => (j === i ? { ...x, column: d.value } : x)) })} />
            </Field>
            <Button icon={<DeleteRegular />} aria-label={`Remove custom detail ${i + 1}`} onClick={() => set({ customDetails: draft.customDetails.filter((_x, j) => j !== i) })} />
          </div>
        ))}
        {err('customDetails') !== undefined ? <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>{err('customDetails')}</Text> : null}
        {draft.customDetails.length < 20 ? <div><Button icon={<AddRegular />} onClick={() => set({ customDetails: [...draft.customDetails, { key: '', column: '' }] })}>Add custom detail</Button></div> : null}
      </Section>

      <Section title="Alert enhancement: alert details">
        <Field label="Alert name format" hint="Columns as {{Column}}, e.g. Brute force on {{Computer}}" {...invalid(err('alertDetailsOverride.alertDisplayNameFormat'))}>
          <Input value={draft.alertDisplayNameFormat} onChange={(_e, d) => set({ alertDisplayNameFormat: d.value })} />
        </Field>
        <Field label="Alert description format" {...invalid(err('alertDetailsOverride.alertDescriptionFormat'))}>
          <Input value={draft.alertDescriptionFormat} onChange={(_e, d) => set({ alertDescriptionFormat: d.value })} />
        </Field>
        <div className={styles.row}>
          <Field label="Tactics column" {...invalid(err('alertDetailsOverride.alertTacticsColumnName'))}>
            <Input value={draft.alertTacticsColumnName} onChange={(_e, d) => set({ alertTacticsColumnName: d.value })} />
          </Field>
          <Field label="Severity column" {...invalid(err('alertDetailsOverride.alertSeverityColumnName'))}>
            <Input value={draft.alertSeverityColumnName} onChange={(_e, d) => set({ alertSeverityColumnName: d.value })} />
          </Field>
        </div>
      </Section>

      {draft.kind === 'Scheduled' ? (
        <Section title="Query scheduling">
          <div className={styles.row}>
            <DurationField label="Run query every" value={draft.queryFrequency} onChange={(v) => set({ queryFrequency: v })} error={err('queryFrequency')} />
            <DurationField label="Lookup data from the last" value={draft.queryPeriod} onChange={(v) => set({ queryPeriod: v })} error={err('queryPeriod')} />
          </div>
          <Text as="h3" weight="semibold" size={400}>Alert threshold</Text>
          <div className={styles.row}>
            <Field label="Generate alert when number of query results is" {...invalid(err('triggerOperator'))}>
              <Select value={draft.triggerOperator} onChange={(_e, d) => set({ triggerOperator: d.value })}>
                {TRIGGER_OPERATORS.map((o) => <option key={o} value={o}>{{ GreaterThan: 'Is greater than', LessThan: 'Is less than', Equal: 'Is equal to', NotEqual: 'Is not equal to' }[o]}</option>)}
              </Select>
            </Field>
            <Field label="Threshold" {...invalid(err('triggerThreshold'))}>
              <Input className={styles.durationAmount} inputMode="numeric" value={draft.triggerThreshold} onChange={(_e, d) => set({ triggerThreshold: d.value })} />
            </Field>
          </div>
        </Section>
      ) : null}

      <Section title="Event grouping">
        <RadioGroup aria-label="Event grouping" value={draft.aggregationKind} onChange={(_e, d) => set({ aggregationKind: d.value })}>
          <Radio value="SingleAlert" label="Group all events into a single alert" />
          <Radio value="AlertPerResult" label="Trigger an alert for each event" />
        </RadioGroup>
      </Section>

      <Section title="Suppression">
        <Switch checked={draft.suppressionEnabled} label={draft.suppressionEnabled ? 'Stop running query after alert is generated: On' : 'Stop running query after alert is generated: Off'}
          onChange={(_e, d) => set({ suppressionEnabled: d.checked })} />
        {draft.suppressionEnabled || err('suppressionDuration') !== undefined ? (
          <DurationField label="Stop running query for" value={draft.suppressionDuration} onChange={(v) => set({ suppressionDuration: v })} error={err('suppressionDuration')} hint="Up to 24 hours." />
        ) : null}
      </Section>

      <TestPanel workspace={workspace} draft={draft} allowed={canTest} />
    </>
  );
}

function IncidentStep({ draft, set, err }: StepProps) {
  const styles = useStyles();
  const g = draft.grouping;
  const setGrouping = (change: Partial<RuleDraft['grouping']>) => set({ grouping: { ...g, ...change } });
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));
  const mappedTypes = [...new Set([...draft.entityMappings.map((m) => m.entityType), ...g.groupByEntities])];
  const detailKeys = [...new Set([...draft.customDetails.map((c) => c.key).filter((k) => k !== ''), ...g.groupByCustomDetails])];
  return (
    <>
      <Section title="Incident settings">
        <Switch checked={draft.createIncident} label={`Create incidents from alerts triggered by this analytics rule: ${draft.createIncident ? 'Enabled' : 'Disabled'}`}
          onChange={(_e, d) => set({ createIncident: d.checked })} />
      </Section>
      <Section title="Alert grouping">
        <Switch checked={g.enabled} label={`Group related alerts, triggered by this analytics rule, into incidents: ${g.enabled ? 'Enabled' : 'Disabled'}`}
          onChange={(_e, d) => setGrouping({ enabled: d.checked })} />
        {g.enabled || [...Array.from(['lookbackDuration', 'matchingMethod', 'groupByEntities', 'groupByAlertDetails', 'groupByCustomDetails'])].some((k) => err(`incidentConfiguration.groupingConfiguration.${k}`) !== undefined) ? (
          <>
            <DurationField label="Limit the group to alerts created within the selected time frame" value={g.lookbackDuration}
              onChange={(v) => setGrouping({ lookbackDuration: v })} error={err('incidentConfiguration.groupingConfiguration.lookbackDuration')} hint="5 minutes to 7 days." />
            <Field label="Group alerts triggered by this analytics rule into a single incident by" {...invalid(err('incidentConfiguration.groupingConfiguration.matchingMethod'))}>
              <RadioGroup value={g.matchingMethod} onChange={(_e, d) => setGrouping({ matchingMethod: d.value as typeof g.matchingMethod })}>
                <Radio value="AllEntities" label="Grouping alerts into a single incident if all the entities match" />
                <Radio value="AnyAlert" label="Grouping all alerts triggered by this rule into a single incident" />
                <Radio value="Selected" label="Grouping alerts into a single incident if the selected entity types and details match" />
              </RadioGroup>
            </Field>
            {g.matchingMethod === 'Selected' ? (
              <div className={styles.row}>
                <fieldset className={styles.mapping}>
                  <legend>Entity types</legend>
                  {mappedTypes.length === 0 ? <Text className={styles.secondary}>Map entities in Set rule logic first.</Text> : null}
                  {mappedTypes.map((t) => <Checkbox key={t} label={t} checked={g.groupByEntities.includes(t)} onChange={(_e, d) => setGrouping({ groupByEntities: toggle(g.groupByEntities, t, d.checked === true) })} />)}
                </fieldset>
                <fieldset className={styles.mapping}>
                  <legend>Alert details</legend>
                  {['DisplayName', 'Severity'].map((t) => <Checkbox key={t} label={t === 'DisplayName' ? 'Alert name' : 'Alert severity'} checked={g.groupByAlertDetails.includes(t)} onChange={(_e, d) => setGrouping({ groupByAlertDetails: toggle(g.groupByAlertDetails, t, d.checked === true) })} />)}
                </fieldset>
                <fieldset className={styles.mapping}>
                  <legend>Custom details</legend>
                  {detailKeys.length === 0 ? <Text className={styles.secondary}>No custom details.</Text> : null}
                  {detailKeys.map((k) => <Checkbox key={k} label={k} checked={g.groupByCustomDetails.includes(k)} onChange={(_e, d) => setGrouping({ groupByCustomDetails: toggle(g.groupByCustomDetails, k, d.checked === true) })} />)}
                </fieldset>
              </div>
            ) : null}
            <Switch checked={g.reopenClosedIncident} label={`Re-open closed matching incidents: ${g.reopenClosedIncident ? 'Enabled' : 'Disabled'}`}
              onChange={(_e, d) => setGrouping({ reopenClosedIncident: d.checked })} />
          </>
        ) : null}
      </Section>
    </>
  );
}

function ReviewStep({ draft, canSave }: { draft: RuleDraft; canSave: boolean }) {
  const styles = useStyles();
  const p = propertiesOf(draft);
  const rows: [string, string][] = [
    ['Name', p.displayName || '(none)'],
    ['Kind', draft.kind === 'NRT' ? 'Near-real-time (NRT)' : 'Scheduled'],
    ['Description', p.description || '(none)'],
    ['Severity', p.severity],
    ['Status', p.enabled ? 'Enabled' : 'Disabled'],
    ['Tactics', p.tactics.map(tacticLabel).join(', ') || '(none)'],
    ['Techniques', [...p.techniques, ...(p.subTechniques ?? [])].join(', ') || '(none)'],
    ['Rule query', p.query || '(none)'],
    ...(draft.kind === 'Scheduled' ? [
      ['Query frequency', `Every ${describeDuration(draft.queryFrequency)} (${isoOf(draft.queryFrequency)})`],
      ['Query period', `Last ${describeDuration(draft.queryPeriod)} (${isoOf(draft.queryPeriod)})`],
      ['Trigger', `${p.triggerOperator} ${p.triggerThreshold}`],
    ] as [string, string][] : []),
    ['Entity mappings', (p.entityMappings ?? []).map((m) => `${m.entityType}: ${m.fieldMappings.map((f) => `${f.identifier} = ${f.columnName}`).join(', ')}`).join('\n') || '(none)'],
    ['Custom details', Object.entries(p.customDetails ?? {}).map(([k, v]) => `${k} = ${v}`).join('\n') || '(none)'],
    ['Event grouping', draft.aggregationKind === 'AlertPerResult' ? 'An alert for each event' : 'All events into a single alert'],
    ['Suppression', p.suppressionEnabled ? `On, for ${describeDuration(draft.suppressionDuration)}` : 'Off'],
    ['Create incidents', draft.createIncident ? 'Enabled' : 'Disabled'],
    ['Alert grouping', draft.grouping.enabled ? `${draft.grouping.matchingMethod} within ${describeDuration(draft.grouping.lookbackDuration)}${draft.grouping.reopenClosedIncident ? ', re-opening closed incidents' : ''}` : 'Disabled'],
  ];
  return (
    <>
      <Text>
        {canSave
          ? 'Check the rule, then save it. The server checks every setting and compiles the query; any problem is shown at its field.'
          : 'Your roles do not allow saving analytics rules in this workspace: this is the rule as set here, for reading and testing only.'}
      </Text>
      <dl className={styles.review}>
        {rows.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt><Text weight="semibold">{k}</Text></dt>
            <dd style={{ margin: 0 }} className={styles.reviewValue}>{v}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

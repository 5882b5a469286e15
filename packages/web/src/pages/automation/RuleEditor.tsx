// The form of an automation rule, new or saved: name, order, trigger, enabled, expiry; conditions
// (a property with one of the eight operators and its values; for updates, a property changed
// from or to values, or alerts, labels or tactics added); actions in order (change the owner,
// status with classification, severity, labels; add a task). The server checks everything and
// names the field it refuses; the form stays open with what was typed, the condition or action at
// fault marked. A rule saved by someone else meanwhile is refused (412) and said so.
import { useEffect, useState } from 'react';
import {
  Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar,
  MessageBarActions, MessageBarBody, MessageBarTitle, Select, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import {
  CHANGE_TYPES, CHANGED_ARRAYS, CHANGED_PROPERTIES, OPERATOR_LABELS, OPERATORS, SEVERITIES, STATUSES, TRIGGER_LABELS, conditionText,
  ownerText, propertiesFor, saveRule, triggerLogicOf, triggerOf, type Action, type AutomationRule, type Condition, type Operator,
  type RuleProperties, type Trigger,
} from '../../api/automation.ts';
import { CLASSIFICATION_LABELS, CLASSIFICATIONS, REASON_LABELS, REASONS_OF, type Classification } from '../../api/incidents.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { isConflict } from '../../api/arm-client.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '920px', width: 'calc(100vw - 48px)' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& > *': { flexShrink: 0 } },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '200px' },
  narrow: { width: '120px' },
  card: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium,
  },
  faulty: { border: `2px solid ${tokens.colorPaletteRedBorder2}` },
  cardHeader: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  spacer: { flexGrow: 1 },
  fault: { color: tokens.colorPaletteRedForeground1 },
});

type ConditionDraft =
  | { kind: 'Property'; propertyName: string; operator: Operator; values: string }
  | { kind: 'PropertyChanged'; propertyName: string; changeType: string; operator: Operator; values: string }
  | { kind: 'PropertyArrayChanged'; arrayType: string }
  /** A grouped (Boolean) condition made through the API: kept as it is. */
  | { kind: 'Kept'; condition: Condition };

type ActionDraft =
  | { kind: 'ModifyProperties'; owner: string; status: string; classification: string; classificationReason: string; classificationComment: string; severity: string; labels: string }
  | { kind: 'AddIncidentTask'; title: string; description: string };

interface Draft {
  displayName: string;
  order: string;
  trigger: Trigger;
  enabled: boolean;
  expiry: string;
  conditions: ConditionDraft[];
  actions: ActionDraft[];
}

const split = (values: string) => values.split(',').map((v) => v.trim()).filter((v) => v !== '');
const newModify = (): ActionDraft => ({ kind: 'ModifyProperties', owner: '', status: '', classification: '', classificationReason: '', classificationComment: '', severity: '', labels: '' });

/** An ISO time as a datetime-local input's value (the browser's time zone). */
function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function draftOf(rule: AutomationRule | undefined, nextOrder: number): Draft {
  if (rule === undefined) {
    return { displayName: '', order: String(Math.min(nextOrder, 1000)), trigger: 'IncidentCreated', enabled: true, expiry: '', conditions: [], actions: [newModify()] };
  }
  const p = rule.properties;
  return {
    displayName: p.displayName,
    order: String(p.order),
    trigger: triggerOf(p.triggeringLogic),
    enabled: p.triggeringLogic.isEnabled,
    expiry: localInput(p.triggeringLogic.expirationTimeUtc),
    conditions: (p.triggeringLogic.conditions ?? []).map((c): ConditionDraft => {
      switch (c.conditionType) {
        case 'Property': return { kind: 'Property', propertyName: c.conditionProperties.propertyName, operator: c.conditionProperties.operator, values: c.conditionProperties.propertyValues.join(', ') };
        case 'PropertyChanged': return { kind: 'PropertyChanged', propertyName: c.conditionProperties.propertyName, changeType: c.conditionProperties.changeType, operator: c.conditionProperties.operator ?? 'Equals', values: (c.conditionProperties.propertyValues ?? []).join(', ') };
        case 'PropertyArrayChanged': return { kind: 'PropertyArrayChanged', arrayType: c.conditionProperties.arrayType };
        default: return { kind: 'Kept', condition: c };
      }
    }),
    actions: [...p.actions].sort((a, b) => a.order - b.order).map((a): ActionDraft => (a.actionType === 'AddIncidentTask'
      ? { kind: 'AddIncidentTask', title: a.actionConfiguration.title, description: a.actionConfiguration.description ?? '' }
      : {
        kind: 'ModifyProperties', owner: ownerText(a.actionConfiguration.owner), status: a.actionConfiguration.status ?? '',
        classification: a.actionConfiguration.classification ?? '', classificationReason: a.actionConfiguration.classificationReason ?? '',
        classificationComment: a.actionConfiguration.classificationComment ?? '', severity: a.actionConfiguration.severity ?? '',
        labels: (a.actionConfiguration.labels ?? []).map((l) => l.labelName).join(', '),
      })),
  };
}

function propertiesOf(d: Draft): RuleProperties {
  const order = Number(d.order);
  const expiry = d.expiry === '' ? undefined : new Date(d.expiry);
  return {
    displayName: d.displayName,
    order: d.order.trim() === '' || !Number.isFinite(order) ? (d.order as unknown as number) : order,
    triggeringLogic: {
      isEnabled: d.enabled,
      ...(expiry === undefined ? {} : { expirationTimeUtc: Number.isNaN(expiry.getTime()) ? d.expiry : expiry.toISOString() }),
      ...triggerLogicOf(d.trigger),
      conditions: d.conditions.map((c): Condition => {
        switch (c.kind) {
          case 'Property': return { conditionType: 'Property', conditionProperties: { propertyName: c.propertyName, operator: c.operator, propertyValues: split(c.values) } };
          case 'PropertyChanged': return { conditionType: 'PropertyChanged', conditionProperties: { propertyName: c.propertyName, changeType: c.changeType, operator: c.operator, propertyValues: split(c.values) } };
          case 'PropertyArrayChanged': return { conditionType: 'PropertyArrayChanged', conditionProperties: { arrayType: c.arrayType, changeType: 'Added' } };
          case 'Kept': return c.condition;
        }
      }),
    },
    actions: d.actions.map((a, i): Action => {
      if (a.kind === 'AddIncidentTask') return { order: i + 1, actionType: 'AddIncidentTask', actionConfiguration: { title: a.title, description: a.description } };
      const config: Extract<Action, { actionType: 'ModifyProperties' }>['actionConfiguration'] = {};
      if (a.owner.trim() !== '') config.owner = { userPrincipalName: a.owner.trim() };
      if (a.status !== '') config.status = a.status;
      if (a.status === 'Closed' && a.classification !== '') {
        config.classification = a.classification;
        if (a.classificationReason !== '') config.classificationReason = a.classificationReason;
        if (a.classificationComment.trim() !== '') config.classificationComment = a.classificationComment;
      }
      if (a.severity !== '') config.severity = a.severity;
      const labels = split(a.labels);
      if (labels.length > 0) config.labels = labels.map((labelName) => ({ labelName }));
      return { order: i + 1, actionType: 'ModifyProperties', actionConfiguration: config };
    }),
  };
}

/** Which condition or action a refusal names (properties.actions[1]...), to mark it. */
function faultOf(error: unknown): { part: 'conditions' | 'actions'; index: number } | undefined {
  const target = (error as { target?: string } | undefined)?.target ?? (error instanceof Error ? error.message.split(':')[0] : undefined);
  const m = /(conditions|actions)\[(\d+)\]/.exec(target ?? '');
  return m === null ? undefined : { part: m[1] as 'conditions' | 'actions', index: Number(m[2]) };
}

interface Props {
  rule: AutomationRule | 'new' | undefined;
  workspace: SentinelWorkspace;
  nextOrder: number;
  onCancel(): void;
  onSaved(): void;
  /** After a 412: drop the form and read the rules again. */
  onReload(): void;
}

export function RuleEditor({ rule, workspace, nextOrder, onCancel, onSaved, onReload }: Props) {
  const styles = useStyles();
  const [draft, setDraft] = useState<Draft>(() => draftOf(undefined, nextOrder));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const open = rule !== undefined;
  useEffect(() => {
    if (rule === undefined) return;
    setDraft(draftOf(rule === 'new' ? undefined : rule, nextOrder));
    setError(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rule]);

  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setCondition = (i: number, c: ConditionDraft) => setDraft((d) => ({ ...d, conditions: d.conditions.map((x, j) => (j === i ? c : x)) }));
  const setAction = (i: number, a: ActionDraft) => setDraft((d) => ({ ...d, actions: d.actions.map((x, j) => (j === i ? a : x)) }));
  const properties = propertiesFor(draft.trigger);
  const updates = draft.trigger === 'IncidentUpdated';

  const submit = async () => {
    if (rule === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      if (rule === 'new') await saveRule(workspace.id, crypto.randomUUID(), propertiesOf(draft));
      else await saveRule(workspace.id, rule.name, propertiesOf(draft), rule.etag);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const conflict = isConflict(error);
  const fault = faultOf(error);
  // The refused condition or action, brought into view (the form may be scrolled past it).
  useEffect(() => {
    if (fault !== undefined) document.querySelector('[data-fault="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [error]); // eslint-disable-line react-hooks/exhaustive-deps
  const faultMessage = error instanceof Error ? error.message : '';
  const cardClass = (part: 'conditions' | 'actions', i: number) => (fault?.part === part && fault.index === i ? `${styles.card} ${styles.faulty}` : styles.card);
  const faultNote = (part: 'conditions' | 'actions', i: number) => (fault?.part === part && fault.index === i ? <Text className={styles.fault}>{faultMessage}</Text> : null);
  const title = rule === 'new' || rule === undefined ? 'Create automation rule' : `Edit ${rule.properties.displayName}`;

  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface className={styles.surface}>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>In {workspace.name} ({workspace.directoryName}).</Text>
              <div className={styles.row}>
                <Field label="Name" required className={styles.grow}>
                  <Input value={draft.displayName} onChange={(_e, d) => set({ displayName: d.value })} />
                </Field>
                <Field label="Order" required hint="1 to 1000: lower runs first." className={styles.narrow}>
                  <Input type="number" min={1} max={1000} value={draft.order} onChange={(_e, d) => set({ order: d.value })} />
                </Field>
              </div>
              <div className={styles.row}>
                <Field label="Trigger" required className={styles.grow}>
                  <Select value={draft.trigger} onChange={(_e, d) => set({ trigger: d.value as Trigger })}>
                    {(Object.keys(TRIGGER_LABELS) as Trigger[]).map((t) => <option key={t} value={t}>{TRIGGER_LABELS[t]}</option>)}
                  </Select>
                </Field>
                <Field label="Expires" hint="Optional: the rule stops running then (your time zone)." className={styles.grow}>
                  <Input type="datetime-local" value={draft.expiry} onChange={(_e, d) => set({ expiry: d.value })} />
                </Field>
                <Checkbox label="Enabled" checked={draft.enabled} onChange={(_e, d) => set({ enabled: d.checked === true })} />
              </div>

              <Title3 as="h2">Conditions</Title3>
              <Text>All must hold; with none, the rule acts on every {draft.trigger === 'AlertCreated' ? 'alert' : 'incident'}. Several values, separated by commas: the condition holds for any of them. Case is ignored.</Text>
              {draft.conditions.map((c, i) => (
                <div key={i} className={cardClass('conditions', i)} role="group" aria-label={`Condition ${i + 1}`} data-fault={fault?.part === 'conditions' && fault.index === i}>
                  <div className={styles.row}>
                    {c.kind === 'Kept' ? (
                      <Text className={styles.grow}>{conditionText(c.condition)} <i>(a grouped condition made through the API, kept as it is)</i></Text>
                    ) : (
                      <Field label="Type" className={styles.narrow}>
                        <Select value={c.kind} onChange={(_e, d) => setCondition(i, d.value === 'Property'
                          ? { kind: 'Property', propertyName: 'IncidentSeverity', operator: 'Equals', values: '' }
                          : d.value === 'PropertyChanged' ? { kind: 'PropertyChanged', propertyName: 'IncidentStatus', changeType: 'ChangedTo', operator: 'Equals', values: '' }
                          : { kind: 'PropertyArrayChanged', arrayType: 'Alerts' })}>
                          <option value="Property">Property</option>
                          {updates || c.kind === 'PropertyChanged' ? <option value="PropertyChanged">Changed</option> : null}
                          {updates || c.kind === 'PropertyArrayChanged' ? <option value="PropertyArrayChanged">Added</option> : null}
                        </Select>
                      </Field>
                    )}
                    {c.kind === 'Property' ? (
                      <>
                        <Field label="Property" className={styles.grow}>
                          <Select value={c.propertyName} onChange={(_e, d) => setCondition(i, { ...c, propertyName: d.value })}>
                            {properties.includes(c.propertyName) ? null : <option value={c.propertyName}>{c.propertyName}</option>}
                            {properties.map((p) => <option key={p} value={p}>{p}</option>)}
                          </Select>
                        </Field>
                        <Field label="Operator">
                          <Select value={c.operator} onChange={(_e, d) => setCondition(i, { ...c, operator: d.value as Operator })}>
                            {OPERATORS.map((o) => <option key={o} value={o}>{OPERATOR_LABELS[o]}</option>)}
                          </Select>
                        </Field>
                        <Field label="Values" className={styles.grow}>
                          <Input value={c.values} onChange={(_e, d) => setCondition(i, { ...c, values: d.value })} placeholder={c.propertyName === 'IncidentSeverity' ? 'High, Medium' : ''} />
                        </Field>
                      </>
                    ) : c.kind === 'PropertyChanged' ? (
                      <>
                        <Field label="Property">
                          <Select value={c.propertyName} onChange={(_e, d) => setCondition(i, { ...c, propertyName: d.value })}>
                            {CHANGED_PROPERTIES.map((p) => <option key={p} value={p}>{p}</option>)}
                          </Select>
                        </Field>
                        <Field label="Change">
                          <Select value={c.changeType} onChange={(_e, d) => setCondition(i, { ...c, changeType: d.value })}>
                            {CHANGE_TYPES.map((t) => <option key={t} value={t}>{t === 'ChangedTo' ? 'Changed to' : 'Changed from'}</option>)}
                          </Select>
                        </Field>
                        <Field label="Operator">
                          <Select value={c.operator} onChange={(_e, d) => setCondition(i, { ...c, operator: d.value as Operator })}>
                            {OPERATORS.map((o) => <option key={o} value={o}>{OPERATOR_LABELS[o]}</option>)}
                          </Select>
                        </Field>
                        <Field label="Values" hint="None: any change." className={styles.grow}>
                          <Input value={c.values} onChange={(_e, d) => setCondition(i, { ...c, values: d.value })} />
                        </Field>
                      </>
                    ) : c.kind === 'PropertyArrayChanged' ? (
                      <Field label="Added to the incident" className={styles.grow}>
                        <Select value={c.arrayType} onChange={(_e, d) => setCondition(i, { ...c, arrayType: d.value })}>
                          {CHANGED_ARRAYS.map((a) => <option key={a} value={a}>{a === 'Alerts' ? 'An alert' : a === 'Labels' ? 'A label' : 'A tactic'}</option>)}
                        </Select>
                      </Field>
                    ) : null}
                    <Button icon={<DeleteRegular />} aria-label={`Remove condition ${i + 1}`} onClick={() => setDraft((d) => ({ ...d, conditions: d.conditions.filter((_x, j) => j !== i) }))} />
                  </div>
                  {faultNote('conditions', i)}
                </div>
              ))}
              <div>
                <Button icon={<AddRegular />} onClick={() => setDraft((d) => ({ ...d, conditions: [...d.conditions, { kind: 'Property', propertyName: d.trigger === 'AlertCreated' ? 'AlertProductNames' : 'IncidentSeverity', operator: 'Equals', values: '' }] }))}>Add condition</Button>
              </div>

              <Title3 as="h2">Actions</Title3>
              <Text>Run in this order on the {draft.trigger === 'AlertCreated' ? 'incident the alert joined' : 'incident'}. Playbooks are not available: Vigil has no Logic Apps.</Text>
              {draft.actions.map((a, i) => (
                <div key={i} className={cardClass('actions', i)} role="group" aria-label={`Action ${i + 1}`} data-fault={fault?.part === 'actions' && fault.index === i}>
                  <div className={styles.cardHeader}>
                    <Field label="Action" className={styles.grow}>
                      <Select value={a.kind} onChange={(_e, d) => setAction(i, d.value === 'AddIncidentTask' ? { kind: 'AddIncidentTask', title: '', description: '' } : newModify())}>
                        <option value="ModifyProperties">Change incident properties</option>
                        <option value="AddIncidentTask">Add a task</option>
                      </Select>
                    </Field>
                    <Button icon={<DeleteRegular />} aria-label={`Remove action ${i + 1}`} onClick={() => setDraft((d) => ({ ...d, actions: d.actions.filter((_x, j) => j !== i) }))} />
                  </div>
                  {a.kind === 'AddIncidentTask' ? (
                    <div className={styles.row}>
                      <Field label="Task title" className={styles.grow}>
                        <Input value={a.title} onChange={(_e, d) => setAction(i, { ...a, title: d.value })} />
                      </Field>
                      <Field label="Task description" className={styles.grow}>
                        <Input value={a.description} onChange={(_e, d) => setAction(i, { ...a, description: d.value })} />
                      </Field>
                    </div>
                  ) : (
                    <>
                      <div className={styles.row}>
                        <Field label="Owner" hint="A user principal name; empty: unchanged." className={styles.grow}>
                          <Input value={a.owner} onChange={(_e, d) => setAction(i, { ...a, owner: d.value })} />
                        </Field>
                        <Field label="Status">
                          <Select value={a.status} onChange={(_e, d) => setAction(i, { ...a, status: d.value })}>
                            <option value="">Unchanged</option>
                            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
                          </Select>
                        </Field>
                        <Field label="Severity">
                          <Select value={a.severity} onChange={(_e, d) => setAction(i, { ...a, severity: d.value })}>
                            <option value="">Unchanged</option>
                            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
                          </Select>
                        </Field>
                        <Field label="Add labels" hint="Separated by commas." className={styles.grow}>
                          <Input value={a.labels} onChange={(_e, d) => setAction(i, { ...a, labels: d.value })} />
                        </Field>
                      </div>
                      {a.status === 'Closed' ? (
                        <div className={styles.row}>
                          <Field label="Classification" required>
                            <Select value={a.classification} onChange={(_e, d) => setAction(i, { ...a, classification: d.value, classificationReason: REASONS_OF[d.value as Classification]?.[0] ?? '' })}>
                              <option value="">Choose…</option>
                              {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{CLASSIFICATION_LABELS[c]}</option>)}
                            </Select>
                          </Field>
                          {(REASONS_OF[a.classification as Classification] ?? []).length > 0 ? (
                            <Field label="Reason">
                              <Select value={a.classificationReason} onChange={(_e, d) => setAction(i, { ...a, classificationReason: d.value })}>
                                {REASONS_OF[a.classification as Classification].map((r) => <option key={r} value={r}>{REASON_LABELS[r]}</option>)}
                              </Select>
                            </Field>
                          ) : null}
                          <Field label="Closing comment" className={styles.grow}>
                            <Input value={a.classificationComment} onChange={(_e, d) => setAction(i, { ...a, classificationComment: d.value })} />
                          </Field>
                        </div>
                      ) : null}
                    </>
                  )}
                  {faultNote('actions', i)}
                </div>
              ))}
              <div>
                <Button icon={<AddRegular />} disabled={draft.actions.length >= 20} onClick={() => setDraft((d) => ({ ...d, actions: [...d.actions, newModify()] }))}>Add action</Button>
              </div>
              {conflict ? (
                <MessageBar intent="warning" layout="multiline" role="alert">
                  <MessageBarBody>
                    <MessageBarTitle>This rule was changed since you opened it — reload</MessageBarTitle>
                    Someone saved it after you opened it, so your changes were not saved and nothing was overwritten. Your changes are still in this form; Reload drops them and shows the rule as it is now. ({faultMessage})
                  </MessageBarBody>
                  <MessageBarActions><Button onClick={onReload}>Reload</Button></MessageBarActions>
                </MessageBar>
              ) : error !== undefined ? <ErrorMessage title="The rule was not saved" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}


// One incident, as Sentinel's incident page shows it: its properties (changed with the etag it
// was read with, so a change made meanwhile by someone else is never overwritten), its
// directory and workspace, alerts, entities, timeline, comments and tasks.
import { useEffect, useState, type ReactNode } from 'react';
import {
  Badge, Button, Card, Checkbox, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Spinner,
  Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, Title2, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowClockwiseRegular } from '@fluentui/react-icons';
import { isConflict } from '../api/arm-client.ts';
import {
  addComment, addTask, CLASSIFICATION_LABELS, CLASSIFICATIONS, getIncident, listAlerts, listComments, listEntities, listTasks, ownerName, ownerUpn,
  REASON_LABELS, REASONS_OF, saveIncident, SEVERITIES, setTaskStatus, STATUSES, timeline,
  type Classification, type ClassificationReason, type Incident, type Severity, type Status, type Task,
} from '../api/incidents.ts';
import { Link, usePath } from '../routing.tsx';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { useFilter } from '../shell/filter-context.tsx';
import { SeverityBadge, StatusBadge } from './incident-badges.tsx';
import { formatTime } from './format.ts';
import { useLoad, type Loaded } from './use-load.ts';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  columns: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', '& > *': { flexGrow: 1 } },
  facts: { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  secondary: { color: tokens.colorNeutralForeground3 },
  wrap: { overflowWrap: 'anywhere' },
});

interface Draft {
  title: string;
  severity: Severity;
  status: Status;
  owner: string;
  classification: Classification | '';
  classificationReason: ClassificationReason | '';
  classificationComment: string;
  /** The user's tags, comma-separated (System labels, such as a rule's customer, are kept as they are). */
  tags: string;
}
const userLabels = (i: Incident) => i.properties.labels.filter((l) => l.labelType !== 'System').map((l) => l.labelName);
/** Comma-separated tags, trimmed, empty ones and repeats dropped. */
const parseTags = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
const draftOf = (i: Incident): Draft => ({
  tags: userLabels(i).join(', '),
  title: i.properties.title,
  severity: i.properties.severity,
  status: i.properties.status,
  owner: ownerUpn(i.properties.owner),
  classification: i.properties.classification ?? '',
  classificationReason: i.properties.classificationReason ?? '',
  classificationComment: i.properties.classificationComment ?? '',
});

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card role="region" aria-label={title}>
      <Title3 as="h2">{title}</Title3>
      {children}
    </Card>
  );
}

function Loading<T>({ loaded, what, onRetry, children }: { loaded: Loaded<T>; what: string; onRetry(): void; children(value: T): ReactNode }) {
  if (loaded.status === 'loading') return <Spinner size="small" label={`Loading ${what}…`} />;
  if (loaded.status === 'failed') return <ErrorMessage title={`The ${what} could not be loaded`} error={loaded.error} onRetry={onRetry} />;
  return <>{children(loaded.value)}</>;
}

export default function IncidentPage() {
  const styles = useStyles();
  const path = usePath();
  const id = path.replace(/^\/incidents/i, '').replace(/\/+$/, '');
  const { state: filterState, session } = useFilter();
  const [incident, reloadIncident] = useLoad(() => getIncident(id), id);
  const [alerts, reloadAlerts] = useLoad(() => listAlerts(id), id);
  const [entities, reloadEntities] = useLoad(() => listEntities(id), id);
  const [events, reloadTimeline] = useLoad(() => timeline(id), id);
  const [comments, reloadComments] = useLoad(() => listComments(id), id);
  const [tasks, reloadTasks] = useLoad(() => listTasks(id), id);
  const [draft, setDraft] = useState<Draft | undefined>();
  const [saving, setSaving] = useState<{ running: boolean; error?: unknown; saved?: boolean }>({ running: false });
  const [comment, setComment] = useState('');
  const [commenting, setCommenting] = useState<{ running: boolean; error?: unknown }>({ running: false });
  const [taskTitle, setTaskTitle] = useState('');
  const [tasking, setTasking] = useState<{ running: boolean; error?: unknown }>({ running: false });

  const current = incident.status === 'ready' ? incident.value : undefined;
  useEffect(() => { if (current !== undefined) setDraft(draftOf(current)); }, [current]);
  useEffect(() => {
    document.title = current === undefined ? 'Incident - Vigil' : `Incident ${current.properties.incidentNumber} - Vigil`;
  }, [current]);

  const back = <Link href="/incidents"><ArrowLeftRegular aria-hidden /> Incidents</Link>;
  if (incident.status === 'loading') return <div className={styles.page}>{back}<Spinner label="Loading the incident…" /></div>;
  if (incident.status === 'failed') {
    return (
      <div className={styles.page}>
        {back}
        <Title2 as="h1">Incident</Title2>
        <ErrorMessage title="The incident could not be loaded" error={incident.error} onRetry={reloadIncident} />
      </div>
    );
  }
  const i = incident.value;
  const p = i.properties;
  const subscriptionId = /\/subscriptions\/([^/]+)/i.exec(i.id)?.[1]?.toLowerCase() ?? '';
  const workspaceName = /\/workspaces\/([^/]+)/i.exec(i.id)?.[1] ?? '';
  const available = filterState.status === 'ready' ? filterState.filter.available : undefined;
  const subscription = available?.subscriptions.find((s) => s.id.toLowerCase() === subscriptionId);
  const directory = available?.directories.find((d) => d.id === subscription?.directoryId);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (draft === undefined) return;
    setSaving({ running: true });
    const ownerChanged = draft.owner.trim() !== ownerUpn(p.owner);
    const owner = !ownerChanged ? p.owner : draft.owner.trim() === '' ? null : { userPrincipalName: draft.owner.trim() };
    const closed = draft.status === 'Closed';
    try {
      const saved = await saveIncident(i, {
        ...p,
        title: draft.title,
        severity: draft.severity,
        status: draft.status,
        owner: owner as Incident['properties']['owner'],
        classification: closed && draft.classification !== '' ? draft.classification : undefined,
        classificationReason: closed && draft.classificationReason !== '' ? draft.classificationReason : undefined,
        classificationComment: closed && draft.classificationComment.trim() !== '' ? draft.classificationComment.trim() : undefined,
        labels: [...p.labels.filter((l) => l.labelType === 'System'), ...parseTags(draft.tags).map((labelName) => ({ labelName, labelType: 'User' }))],
      });
      setSaving({ running: false, saved: true });
      reloadIncident();
      reloadTimeline();
      void saved;
    } catch (error) {
      setSaving({ running: false, error });
    }
  };

  const submitComment = async (event: React.FormEvent) => {
    event.preventDefault();
    if (comment.trim() === '') return;
    setCommenting({ running: true });
    try {
      await addComment(i.id, comment.trim());
      setComment('');
      setCommenting({ running: false });
      reloadComments();
      reloadTimeline();
    } catch (error) {
      setCommenting({ running: false, error });
    }
  };

  const submitTask = async (event: React.FormEvent) => {
    event.preventDefault();
    if (taskTitle.trim() === '') return;
    setTasking({ running: true });
    try {
      await addTask(i.id, taskTitle.trim());
      setTaskTitle('');
      setTasking({ running: false });
      reloadTasks();
      reloadTimeline();
    } catch (error) {
      setTasking({ running: false, error });
    }
  };
  const toggleTask = async (task: Task) => {
    setTasking({ running: true });
    try {
      await setTaskStatus(i.id, task, task.properties.status === 'Completed' ? 'New' : 'Completed');
      setTasking({ running: false });
      reloadTasks();
    } catch (error) {
      setTasking({ running: false, error });
      reloadTasks();
    }
  };

  const conflict = isConflict(saving.error);
  const reasons = draft === undefined || draft.classification === '' ? [] : REASONS_OF[draft.classification];

  return (
    <div className={styles.page}>
      {back}
      <div className={styles.header}>
        <SeverityBadge severity={p.severity} />
        <Title2 as="h1" className={styles.wrap}>Incident {p.incidentNumber}: {p.title}</Title2>
        <StatusBadge status={p.status} />
        <span className={styles.spacer} />
        <Button icon={<ArrowClockwiseRegular />} onClick={() => { reloadIncident(); reloadAlerts(); reloadEntities(); reloadTimeline(); reloadComments(); reloadTasks(); }}>Refresh</Button>
      </div>
      <dl className={styles.facts} aria-label="About the incident">
        <dt className={styles.term}>Owner</dt><dd>{ownerName(p.owner) || 'Unassigned'}{p.owner.userPrincipalName !== undefined && p.owner.userPrincipalName !== ownerName(p.owner) ? ` (${p.owner.userPrincipalName})` : ''}</dd>
        <dt className={styles.term}>Classification</dt>
        <dd>{p.classification === undefined ? 'Not classified' : `${CLASSIFICATION_LABELS[p.classification]}${p.classificationReason === undefined ? '' : ` (${REASON_LABELS[p.classificationReason]})`}`}
          {p.classificationComment === undefined ? '' : ` — ${p.classificationComment}`}</dd>
        <dt className={styles.term}>Directory</dt>
        <dd>{directory?.displayName ?? subscription?.directoryId ?? 'Not in your directory list'}{' '}
          {subscription === undefined ? null : subscription.delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}</dd>
        <dt className={styles.term}>Workspace</dt><dd>{workspaceName}{subscription === undefined ? '' : ` (${subscription.displayName})`}</dd>
        <dt className={styles.term}>Tags</dt>
        <dd>{p.labels.length === 0 ? 'None' : p.labels.map((l) => (
          <Badge key={`${l.labelType ?? ''} ${l.labelName}`} appearance={l.labelType === 'System' ? 'outline' : 'tint'} color="informative" style={{ marginRight: tokens.spacingHorizontalXS }}>{l.labelName}</Badge>
        ))}</dd>
        <dt className={styles.term}>Created</dt><dd>{formatTime(p.createdTimeUtc)}</dd>
        <dt className={styles.term}>Last update</dt><dd>{formatTime(p.lastModifiedTimeUtc)}</dd>
        {p.description ? <><dt className={styles.term}>Description</dt><dd className={styles.wrap}>{p.description}</dd></> : null}
      </dl>
      <div className={styles.columns}>
        <div className={styles.column}>
          <Section title="Change the incident">
            {draft === undefined ? null : (
              <form className={styles.form} onSubmit={(e) => void save(e)} aria-label="Change the incident">
                <Field label="Title"><Input value={draft.title} onChange={(_e, d) => setDraft({ ...draft, title: d.value })} /></Field>
                <Field label="Tags" hint="Comma-separated, such as: phishing, vip">
                  <Input value={draft.tags} onChange={(_e, d) => setDraft({ ...draft, tags: d.value })} />
                </Field>
                <div className={styles.row}>
                  <Field label="Severity">
                    <Select value={draft.severity} onChange={(_e, d) => setDraft({ ...draft, severity: d.value as Severity })}>
                      {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
                    </Select>
                  </Field>
                  <Field label="Status">
                    <Select value={draft.status} onChange={(_e, d) => {
                      const status = d.value as Status;
                      setDraft(status === 'Closed' && draft.classification === ''
                        ? { ...draft, status, classification: 'TruePositive', classificationReason: 'SuspiciousActivity' }
                        : { ...draft, status });
                    }}>
                      {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
                    </Select>
                  </Field>
                </div>
                <div className={styles.row}>
                  <Field label="Owner (user principal name)">
                    <Input value={draft.owner} onChange={(_e, d) => setDraft({ ...draft, owner: d.value })} placeholder="Unassigned" />
                  </Field>
                  <Button style={{ flexGrow: 0 }} onClick={() => setDraft({ ...draft, owner: session.user.userName })}>Assign to me</Button>
                </div>
                {draft.status === 'Closed' ? (
                  <>
                    <div className={styles.row}>
                      <Field label="Classification" required>
                        <Select value={draft.classification} onChange={(_e, d) => {
                          const c = d.value as Classification;
                          setDraft({ ...draft, classification: c, classificationReason: REASONS_OF[c][0] ?? '' });
                        }}>
                          {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{CLASSIFICATION_LABELS[c]}</option>)}
                        </Select>
                      </Field>
                      <Field label="Reason">
                        <Select value={draft.classificationReason} disabled={reasons.length === 0} onChange={(_e, d) => setDraft({ ...draft, classificationReason: d.value as ClassificationReason })}>
                          {reasons.length === 0 ? <option value="">None</option> : reasons.map((r) => <option key={r} value={r}>{REASON_LABELS[r]}</option>)}
                        </Select>
                      </Field>
                    </div>
                    <Field label="Closing comment">
                      <Textarea value={draft.classificationComment} onChange={(_e, d) => setDraft({ ...draft, classificationComment: d.value })} maxLength={4000} />
                    </Field>
                  </>
                ) : null}
                {conflict ? (
                  <MessageBar intent="warning" layout="multiline" role="alert">
                    <MessageBarBody>
                      <MessageBarTitle>This incident was changed since you opened it — reload</MessageBarTitle>
                      Someone (or an automation rule) changed it after you opened it; your change was not saved. Reload to see theirs, then make yours again.
                    </MessageBarBody>
                    <MessageBarActions>
                      <Button onClick={() => { setSaving({ running: false }); reloadIncident(); reloadTimeline(); }}>Reload</Button>
                    </MessageBarActions>
                  </MessageBar>
                ) : saving.error !== undefined ? <ErrorMessage title="The incident could not be saved" error={saving.error} /> : null}
                {saving.saved === true ? <Text role="status">Saved.</Text> : null}
                <div>
                  <Button appearance="primary" type="submit" disabled={saving.running}>{saving.running ? 'Saving…' : 'Save'}</Button>
                </div>
              </form>
            )}
          </Section>
          <Section title="Comments">
            <Loading loaded={comments} what="comments" onRetry={reloadComments}>
              {(list) => list.length === 0 ? <Text className={styles.secondary}>No comments yet.</Text> : (
                <ul className={styles.list} aria-label="Comments">
                  {[...list].sort((a, b) => a.properties.createdTimeUtc.localeCompare(b.properties.createdTimeUtc)).map((c) => (
                    <li key={c.name}>
                      <Text weight="semibold">{c.properties.author.name ?? c.properties.author.userPrincipalName ?? 'Someone'}</Text>{' '}
                      <Text className={styles.secondary} size={200}>{formatTime(c.properties.createdTimeUtc)}</Text>
                      <div className={styles.wrap}>{c.properties.message}</div>
                    </li>
                  ))}
                </ul>
              )}
            </Loading>
            <form className={styles.form} onSubmit={(e) => void submitComment(e)}>
              <Field label="Add a comment"><Textarea value={comment} onChange={(_e, d) => setComment(d.value)} maxLength={30000} /></Field>
              {commenting.error !== undefined ? <ErrorMessage title="The comment could not be added" error={commenting.error} /> : null}
              <div><Button type="submit" disabled={commenting.running || comment.trim() === ''}>{commenting.running ? 'Adding…' : 'Add comment'}</Button></div>
            </form>
          </Section>
          <Section title="Tasks">
            <Loading loaded={tasks} what="tasks" onRetry={reloadTasks}>
              {(list) => list.length === 0 ? <Text className={styles.secondary}>No tasks.</Text> : (
                <ul className={styles.list} aria-label="Tasks">
                  {list.map((t) => (
                    <li key={t.name}>
                      <Checkbox checked={t.properties.status === 'Completed'} disabled={tasking.running} onChange={() => void toggleTask(t)}
                        label={`${t.properties.title}${t.properties.status === 'Completed' ? ' (completed)' : ''}`} />
                    </li>
                  ))}
                </ul>
              )}
            </Loading>
            <form className={styles.row} onSubmit={(e) => void submitTask(e)}>
              <Field label="New task"><Input value={taskTitle} onChange={(_e, d) => setTaskTitle(d.value)} maxLength={150} /></Field>
              <Button style={{ flexGrow: 0 }} type="submit" disabled={tasking.running || taskTitle.trim() === ''}>Add task</Button>
            </form>
            {tasking.error !== undefined ? <ErrorMessage title="The task could not be changed" error={tasking.error} /> : null}
          </Section>
        </div>
        <div className={styles.column}>
          <Section title="Alerts">
            <Loading loaded={alerts} what="alerts" onRetry={reloadAlerts}>
              {(list) => list.length === 0 ? <Text className={styles.secondary}>No alerts: this incident was created by hand.</Text> : (
                <Table size="small" aria-label="Alerts">
                  <TableHeader><TableRow><TableHeaderCell>Alert</TableHeaderCell><TableHeaderCell>Severity</TableHeaderCell><TableHeaderCell>Time</TableHeaderCell></TableRow></TableHeader>
                  <TableBody>
                    {list.map((a) => (
                      <TableRow key={a.name}>
                        <TableCell className={styles.wrap}>{a.properties.alertDisplayName}</TableCell>
                        <TableCell>{a.properties.severity}</TableCell>
                        <TableCell>{formatTime(a.properties.timeGenerated)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </Loading>
          </Section>
          <Section title="Entities">
            <Loading loaded={entities} what="entities" onRetry={reloadEntities}>
              {(list) => list.length === 0 ? <Text className={styles.secondary}>No entities.</Text> : (
                <ul className={styles.list} aria-label="Entities">
                  {list.map((e) => <li key={e.name} className={styles.wrap}><Badge appearance="outline">{e.kind}</Badge> {e.properties.friendlyName}</li>)}
                </ul>
              )}
            </Loading>
          </Section>
          <Section title="Timeline">
            <Loading loaded={events} what="timeline" onRetry={reloadTimeline}>
              {(list) => (
                <ol className={styles.list} aria-label="Timeline">
                  {list.map((e, n) => (
                    <li key={n}>
                      <Text className={styles.secondary} size={200}>{formatTime(e.time)} · {e.kind}{e.by === undefined ? '' : ` · ${e.by}`}</Text>
                      <div className={styles.wrap}>{e.title}</div>
                    </li>
                  ))}
                </ol>
              )}
            </Loading>
          </Section>
        </div>
      </div>
    </div>
  );
}

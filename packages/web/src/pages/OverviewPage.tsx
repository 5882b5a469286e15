// The Overview: events and alerts over time against the previous period, incidents by status
// and severity, recent incidents, data sources and their volumes, and anomalies in data arrival,
// across every Microsoft Sentinel workspace of the Directory + subscription selection (own and
// delegated) or for one (picked here, or ?workspace=<ARM id> from the Workspaces list).
import { useState } from 'react';
import {
  Badge, Field, Select, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { TIME_RANGES, type TimeRange } from '../api/overview.ts';
import {
  ListingFailures, NoWorkspaces, NotInSelection, sameId, setUrlParameter, useSelectionWorkspaces, workspaceLabel,
} from '../shell/WorkspaceChooser.tsx';
import { AnomaliesPanel, EventsPanel, IncidentCountsPanel, RecentIncidentsPanel, SourcesPanel, useActivity, type Scope } from './overview/panels.tsx';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  picker: { minWidth: '360px' },
  secondary: { color: tokens.colorNeutralForeground3 },
  incidents: { display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr)', gap: tokens.spacingHorizontalL, alignItems: 'start' },
});

const ALL = '';

function fromUrl(): { workspace: string; range: TimeRange } {
  const params = new URLSearchParams(location.search);
  return {
    workspace: params.get('workspace') ?? ALL,
    range: TIME_RANGES.find((r) => r.key === params.get('range')) ?? TIME_RANGES[0]!,
  };
}

export default function OverviewPage() {
  const styles = useStyles();
  const { session, listing, pending, reload } = useSelectionWorkspaces();
  const [{ workspace: chosen, range }, setChoice] = useState(fromUrl);

  const choose = (workspace: string, nextRange: TimeRange) => {
    setChoice({ workspace, range: nextRange });
    setUrlParameter('workspace', workspace === ALL ? undefined : workspace);
    setUrlParameter('range', nextRange === TIME_RANGES[0] ? undefined : nextRange.key);
  };

  const heading = <Title2 as="h1">Overview</Title2>;
  if (listing === undefined) return <div className={styles.page}>{heading}{pending}</div>;
  const list = listing.workspaces;
  const single = chosen === ALL ? undefined : list.find((w) => sameId(w.id, chosen));
  const scope: Scope | undefined = list.length === 0 || (chosen !== ALL && single === undefined) ? undefined : {
    workspaces: single === undefined ? list : [single],
    single,
    key: `${session.tenantId} ${single?.id ?? list.map((w) => w.id).join(',')}`,
  };
  return (
    <div className={styles.page}>
      {heading}
      <ListingFailures listing={listing} onRetry={reload} />
      {list.length === 0 ? <NoWorkspaces /> : (
        <div className={styles.toolbar}>
          <Field label="Workspace" className={styles.picker}>
            <Select value={single?.id ?? (chosen === ALL ? ALL : 'unknown')} onChange={(_e, d) => choose(d.value, range)}>
              {chosen !== ALL && single === undefined ? <option value="unknown">Choose a workspace</option> : null}
              <option value={ALL}>All selected workspaces ({list.length})</option>
              {list.map((w) => <option key={w.id} value={w.id}>{workspaceLabel(w)}</option>)}
            </Select>
          </Field>
          <Field label="Time range">
            <Select value={range.key} onChange={(_e, d) => choose(chosen, TIME_RANGES.find((r) => r.key === d.value)!)}>
              {TIME_RANGES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}
            </Select>
          </Field>
          {single !== undefined ? (
            <Text className={styles.secondary}>
              {single.directoryName} · {single.subscriptionName} · {single.resourceGroup}{' '}
              {single.delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}
            </Text>
          ) : (
            <Text className={styles.secondary}>Across {list.length} {list.length === 1 ? 'workspace' : 'workspaces'} in {new Set(list.map((w) => w.directoryId)).size} {new Set(list.map((w) => w.directoryId)).size === 1 ? 'directory' : 'directories'}</Text>
          )}
        </div>
      )}
      {chosen !== ALL && single === undefined && list.length > 0 ? <NotInSelection session={session} /> : null}
      {scope !== undefined ? <OverviewBody key={scope.key} scope={scope} range={range} /> : null}
    </div>
  );
}

/** The panels of one scope (mounted afresh when it changes); each loads on its own, those of the time range again when it changes. */
function OverviewBody({ scope, range }: { scope: Scope; range: TimeRange }) {
  const styles = useStyles();
  const [activity, retryActivity] = useActivity(scope, range);
  return (
    <>
      <EventsPanel activity={activity} retry={retryActivity} range={range} />
      <div className={styles.incidents}>
        <IncidentCountsPanel scope={scope} range={range} />
        <RecentIncidentsPanel scope={scope} />
      </div>
      <AnomaliesPanel scope={scope} />
      <SourcesPanel activity={activity} retry={retryActivity} range={range} scope={scope} />
    </>
  );
}

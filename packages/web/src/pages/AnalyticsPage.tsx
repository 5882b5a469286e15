// Analytics: the analytics rules of one Microsoft Sentinel workspace of the selection (picked
// here, or given as ?workspace=<ARM id>), own or delegated: the active rules with their health,
// the template gallery, and the rule wizard (new, from a template, or editing a saved rule).
// What the server refuses is shown with its message; nothing is hidden by guessing roles.
import { useState } from 'react';
import {
  Badge, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Tab, TabList, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { listSentinelWorkspaces, type SentinelWorkspace } from '../api/workspaces.ts';
import { ErrorMessage } from '../shell/ErrorMessage.tsx';
import { useFilter } from '../shell/filter-context.tsx';
import { useLoad } from './use-load.ts';
import { RulesTab } from './analytics/RulesTab.tsx';
import { TemplatesTab } from './analytics/TemplatesTab.tsx';
import { RuleWizard } from './analytics/RuleWizard.tsx';
import type { RuleDraft } from './analytics/rule-draft.ts';
import { useRulePermissions } from './analytics/permissions.ts';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  context: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  picker: { minWidth: '360px', maxWidth: '560px' },
  secondary: { color: tokens.colorNeutralForeground3 },
});

const PATH = '/analytics';
type TabName = 'rules' | 'templates';
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function readUrl(): { workspace?: string; tab: TabName } {
  const params = new URLSearchParams(location.search);
  return { workspace: params.get('workspace') ?? undefined, tab: params.get('tab') === 'templates' ? 'templates' : 'rules' };
}

function writeUrl(workspace: string | undefined, tab: TabName) {
  const params = new URLSearchParams();
  if (workspace !== undefined) params.set('workspace', workspace);
  if (tab === 'templates') params.set('tab', 'templates');
  const query = params.toString();
  history.replaceState(null, '', query === '' ? PATH : `${PATH}?${query}`);
}

export default function AnalyticsPage() {
  const styles = useStyles();
  const { state: filterState, session, reload: reloadFilter } = useFilter();
  const filterKey = filterState.status === 'ready' ? JSON.stringify(filterState.filter.subscriptions) : filterState.status;
  const [workspaces, reloadWorkspaces] = useLoad(
    () => (filterState.status === 'ready' ? listSentinelWorkspaces(filterState.filter, session.tenantId) : new Promise<never>(() => {})),
    `${session.tenantId} ${filterKey}`,
  );
  const [initial] = useState(readUrl);
  const [chosen, setChosen] = useState<string | undefined>(initial.workspace);
  const [tab, setTab] = useState<TabName>(initial.tab);

  const heading = <div className={styles.header}><Title2 as="h1">Analytics</Title2></div>;
  if (filterState.status === 'failed') {
    return <div className={styles.page}>{heading}<ErrorMessage title="Your directories and subscriptions could not be loaded" error={filterState.error} onRetry={reloadFilter} /></div>;
  }
  if (filterState.status === 'loading' || workspaces.status === 'loading') {
    return <div className={styles.page}>{heading}<Spinner label="Loading workspaces…" /></div>;
  }
  if (workspaces.status === 'failed') {
    return <div className={styles.page}>{heading}<ErrorMessage title="The workspaces could not be listed" error={workspaces.error} onRetry={reloadWorkspaces} /></div>;
  }
  const list = workspaces.value.workspaces;
  const requested = chosen === undefined ? undefined : list.find((w) => sameId(w.id, chosen));
  const workspace = requested ?? (chosen === undefined ? list[0] : undefined);
  const choose = (id: string) => { setChosen(id); writeUrl(id, tab); };
  const chooseTab = (t: TabName) => { setTab(t); writeUrl(workspace?.id ?? chosen, t); };
  return (
    <div className={styles.page}>
      {heading}
      {workspaces.value.failures.map((f) => (
        <ErrorMessage key={f.subscription} title={`Workspaces of subscription ${f.subscription} could not be listed`} error={new Error(f.message)} onRetry={reloadWorkspaces} />
      ))}
      {list.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody><MessageBarTitle>No Microsoft Sentinel workspaces</MessageBarTitle>None of the selected subscriptions has a workspace with Microsoft Sentinel that you can read. Change the selection with the Directory + subscription filter at the top.</MessageBarBody>
        </MessageBar>
      ) : (
        <Field label="Workspace" className={styles.picker}>
          <Select value={workspace?.id ?? ''} onChange={(_e, d) => choose(d.value)}>
            {workspace === undefined ? <option value="">Choose a workspace</option> : null}
            {list.map((w) => <option key={w.id} value={w.id}>{w.name} ({w.directoryName}{w.delegated ? ', delegated' : ''})</option>)}
          </Select>
        </Field>
      )}
      {chosen !== undefined && requested === undefined && list.length > 0 ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Workspace not in your selection</MessageBarTitle>
            The workspace asked for is not among the Microsoft Sentinel workspaces of the selected subscriptions in {session.directoryName}. Choose one above, or change the selection with the Directory + subscription filter at the top.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {workspace !== undefined
        ? <WorkspaceAnalytics key={`${session.tenantId} ${workspace.id}`} workspace={workspace} tab={tab} onTab={chooseTab} />
        : null}
    </div>
  );
}

function WorkspaceAnalytics({ workspace, tab, onTab }: { workspace: SentinelWorkspace; tab: TabName; onTab(t: TabName): void }) {
  const styles = useStyles();
  const [wizard, setWizard] = useState<{ draft: RuleDraft; from: TabName }>();
  const permissions = useRulePermissions(workspace);
  /** Bumped when a rule is saved, so the list reads the rules again. */
  const [saved, setSaved] = useState(0);
  const context = (
    <div className={styles.context}>
      <Text className={styles.secondary}>{workspace.name} · {workspace.directoryName} · {workspace.subscriptionName} · {workspace.resourceGroup}</Text>
      {workspace.delegated ? <Badge appearance="tint" color="brand">Delegated</Badge> : <Badge appearance="outline" color="informative">Own directory</Badge>}
    </div>
  );
  const readOnly = !permissions.loading && !permissions.write ? (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>You can read these rules, not change them</MessageBarTitle>
        Your roles on {workspace.name}{workspace.delegated ? ` (through the delegation from ${workspace.directoryName})` : ''} do not include
        Microsoft.SecurityInsights/alertRules/write: you can see the rules, their health and the templates{permissions.test ? ', and test a rule with current data' : ''},
        but not create, import, edit, enable, disable or delete rules. Microsoft Sentinel Contributor allows it.
      </MessageBarBody>
    </MessageBar>
  ) : null;
  if (wizard !== undefined) {
    return (
      <>
        {context}
        {readOnly}
        <RuleWizard
          workspace={workspace}
          permissions={permissions}
          initial={wizard.draft}
          onClose={(didSave) => {
            if (didSave) { setSaved((n) => n + 1); onTab('rules'); } else onTab(wizard.from);
            setWizard(undefined);
          }}
        />
      </>
    );
  }
  return (
    <>
      {context}
      {readOnly}
      <TabList selectedValue={tab} onTabSelect={(_e, d) => onTab(d.value as TabName)} aria-label="Analytics views">
        <Tab value="rules">Active rules</Tab>
        <Tab value="templates">Rule templates</Tab>
      </TabList>
      <div role="tabpanel" aria-label={tab === 'rules' ? 'Active rules' : 'Rule templates'}>
        {tab === 'rules'
          ? <RulesTab key={saved} workspace={workspace} permissions={permissions} onOpen={(draft) => setWizard({ draft, from: 'rules' })} />
          : <TemplatesTab workspace={workspace} permissions={permissions} onCreate={(draft) => setWizard({ draft, from: 'templates' })} />}
      </div>
    </>
  );
}

// Analytics: the analytics rules of one Microsoft Sentinel workspace of the selection (picked
// here, or given as ?workspace=<ARM id>), own or delegated: the active rules with their health,
// the template gallery, and the rule wizard (new, from a template, or editing a saved rule).
// What the server refuses is shown with its message; nothing is hidden by guessing roles.
import { useState } from 'react';
import {
  Badge, MessageBar, MessageBarBody, MessageBarTitle, Tab, TabList, Text, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import type { SentinelWorkspace } from '../api/workspaces.ts';
import { WorkspaceChooser, setUrlParameter, urlParameter } from '../shell/WorkspaceChooser.tsx';
import { RulesTab } from './analytics/RulesTab.tsx';
import { TemplatesTab } from './analytics/TemplatesTab.tsx';
import { RuleWizard } from './analytics/RuleWizard.tsx';
import type { RuleDraft } from './analytics/rule-draft.ts';
import { useRulePermissions } from './analytics/permissions.ts';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL },
  context: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  secondary: { color: tokens.colorNeutralForeground3 },
});

type TabName = 'rules' | 'templates';

export default function AnalyticsPage() {
  const styles = useStyles();
  const [tab, setTab] = useState<TabName>(() => (urlParameter('tab') === 'templates' ? 'templates' : 'rules'));
  const chooseTab = (t: TabName) => {
    setTab(t);
    setUrlParameter('tab', t === 'templates' ? 'templates' : undefined);
  };
  return (
    <div className={styles.page}>
      <div className={styles.header}><Title2 as="h1">Analytics</Title2></div>
      <WorkspaceChooser context={false}>
        {(workspace) => <WorkspaceAnalytics workspace={workspace} tab={tab} onTab={chooseTab} />}
      </WorkspaceChooser>
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

// The rule template gallery (alertRuleTemplates): name, severity, kind, the data each reads,
// tactics and whether a rule was made from it; "Create rule" opens the wizard filled from it.
import { useState } from 'react';
import {
  Badge, Button, Input, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
  Text, Field, makeStyles, tokens,
} from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { listTemplates } from '../../api/analytics.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { useLoad } from '../use-load.ts';
import { draftFromTemplate, durationOf, describeDuration, type RuleDraft } from './rule-draft.ts';
import { SeverityBadge, tacticLabel } from './badges.tsx';
import type { RulePermissions } from './permissions.ts';

const useStyles = makeStyles({
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', marginBottom: tokens.spacingVerticalM },
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, alignItems: 'flex-start' },
  secondary: { color: tokens.colorNeutralForeground3 },
});

export function TemplatesTab({ workspace, permissions, onCreate }: { workspace: SentinelWorkspace; permissions: RulePermissions; onCreate(draft: RuleDraft): void }) {
  const styles = useStyles();
  const [templates, reload] = useLoad(() => listTemplates(workspace.id), workspace.id);
  const [search, setSearch] = useState('');
  if (templates.status === 'loading') return <Spinner label="Loading rule templates…" />;
  if (templates.status === 'failed') return <ErrorMessage title="The rule templates could not be listed" error={templates.error} onRetry={reload} />;
  const words = search.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const shown = templates.value
    .filter((t) => {
      const text = [t.properties.displayName, t.properties.description, ...t.properties.tactics, ...t.properties.requiredDataConnectors.flatMap((c) => c.dataTypes)].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => a.properties.displayName.localeCompare(b.properties.displayName));
  return (
    <>
      <div className={styles.toolbar}>
        <Field label="Search templates">
          <Input contentBefore={<SearchRegular />} value={search} onChange={(_e, d) => setSearch(d.value)} placeholder="Name, table or tactic" />
        </Field>
        <Text className={styles.secondary}>{shown.length} of {templates.value.length} templates</Text>
      </div>
      {shown.length === 0 ? (
        <MessageBar intent="info"><MessageBarBody>No template matches “{search}”.</MessageBarBody></MessageBar>
      ) : (
        <Table className={styles.table} aria-label="Rule templates" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Severity</TableHeaderCell>
              <TableHeaderCell>Runs</TableHeaderCell>
              <TableHeaderCell>Data sources</TableHeaderCell>
              <TableHeaderCell>Tactics</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell><span className={styles.secondary}>Create</span></TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((t) => {
              const p = t.properties;
              const runs = t.kind === 'NRT' ? 'NRT, on arrival'
                : `Every ${describeDuration(durationOf(p.queryFrequency, { amount: '?', unit: 'H' }))}, over ${describeDuration(durationOf(p.queryPeriod, { amount: '?', unit: 'H' }))}`;
              return (
                <TableRow key={t.name} data-template={t.name}>
                  <TableCell>
                    <div className={styles.stack}>
                      <Text weight="semibold">{p.displayName}</Text>
                      <Text size={200} className={styles.secondary}>Version {p.version}</Text>
                    </div>
                  </TableCell>
                  <TableCell><SeverityBadge severity={p.severity} /></TableCell>
                  <TableCell><Text size={200}>{runs}</Text></TableCell>
                  <TableCell>
                    <div className={styles.stack}>
                      {p.requiredDataConnectors.map((c) => <Text size={200} key={c.connectorId}>{c.dataTypes.join(', ')} <span className={styles.secondary}>({c.connectorId})</span></Text>)}
                    </div>
                  </TableCell>
                  <TableCell><Text size={200}>{p.tactics.map(tacticLabel).join(', ')}</Text></TableCell>
                  <TableCell>
                    {p.alertRulesCreatedByTemplateCount > 0
                      ? <Badge appearance="filled" color="success">{`In use by ${p.alertRulesCreatedByTemplateCount} rule${p.alertRulesCreatedByTemplateCount === 1 ? '' : 's'}`}</Badge>
                      : <Badge appearance="outline" color="informative">Available</Badge>}
                  </TableCell>
                  <TableCell>
                    <Button size="small" disabled={permissions.loading || !permissions.write} onClick={() => onCreate(draftFromTemplate(t))} aria-label={`Create rule from ${p.displayName}`}>Create rule</Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}

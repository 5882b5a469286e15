// The automation rules of one Microsoft Sentinel workspace of the selection (own or delegated,
// picked here or given as ?workspace=<ARM id>), in the order they run: trigger, conditions,
// actions, enabled, expiry; created and edited with a form, enabled and disabled, deleted after
// a confirmation. A refusal shows the server's message naming the field, and the form keeps what
// was typed; a rule changed meanwhile (412) is explained.
import { Title2, makeStyles, tokens } from '@fluentui/react-components';
import { WorkspaceChooser } from '../shell/WorkspaceChooser.tsx';
import { WorkspaceAutomation } from './automation/WorkspaceAutomation.tsx';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export default function AutomationPage() {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <Title2 as="h1">Automation</Title2>
      <WorkspaceChooser>{(workspace) => <WorkspaceAutomation workspace={workspace} />}</WorkspaceChooser>
    </div>
  );
}

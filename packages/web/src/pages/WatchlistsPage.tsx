// The watchlists of one Microsoft Sentinel workspace of the selection (own or delegated, picked
// here or given as ?workspace=<ARM id>): listed with their items count, created from a CSV or
// TSV file chosen in the browser (refused whole, every bad line named, when the file is wrong),
// their items viewed page by page, added, edited and deleted, and a watchlist deleted after a
// confirmation. Each shows the KQL that reads it: _GetWatchlist('alias').
import { Title2, makeStyles, tokens } from '@fluentui/react-components';
import { WorkspaceChooser } from '../shell/WorkspaceChooser.tsx';
import { WorkspaceWatchlists } from './watchlists/WorkspaceWatchlists.tsx';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export default function WatchlistsPage() {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <Title2 as="h1">Watchlists</Title2>
      <WorkspaceChooser>{(workspace) => <WorkspaceWatchlists workspace={workspace} />}</WorkspaceChooser>
    </div>
  );
}

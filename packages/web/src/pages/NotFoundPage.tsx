import { MessageBar, MessageBarBody, MessageBarTitle, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { Link } from '../routing.tsx';
import { HOME_PATH } from '../shell/sections.ts';

const useStyles = makeStyles({ page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '720px' } });

export function NotFoundPage({ path }: { path: string }) {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <Title2 as="h1">Page not found</Title2>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>There is no page at {path}</MessageBarTitle>
          Choose a page in the navigation, or go to <Link href={HOME_PATH}>Workspaces</Link>.
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}

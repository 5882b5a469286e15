// The frame of every page, as in the Azure portal: the top bar (directory + subscription
// filter, account), the left navigation, and the page of the current path.
import { Suspense, useEffect } from 'react';
import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import type { Session } from '../auth/session.ts';
import { navigate, usePath } from '../routing.tsx';
import { TopBar } from './TopBar.tsx';
import { LeftNav } from './LeftNav.tsx';
import { HOME_PATH, sectionOf } from './sections.ts';
import { PlaceholderPage } from '../pages/PlaceholderPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateRows: '48px 1fr', gridTemplateColumns: '220px minmax(0, 1fr)', height: '100vh', minWidth: '1024px' },
  top: { gridColumn: '1 / span 2' },
  main: { overflow: 'auto', padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`, backgroundColor: tokens.colorNeutralBackground2 },
  skip: {
    position: 'absolute', left: '-10000px', top: 'auto',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 1000, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorBrandForeground1 },
  },
});

export function Shell({ session, onSessionChange }: { session: Session; onSessionChange(): void }) {
  const styles = useStyles();
  const path = usePath();
  useEffect(() => {
    if (path === '/') navigate(HOME_PATH, { replace: true });
  }, [path]);
  // Only a section with an item page has pages below it: /workspaces/x is not found rather than the list again.
  const matched = sectionOf(path);
  const trimmed = path.toLowerCase().replace(/\/+$/, '');
  const section = matched !== undefined && (trimmed === matched.path || (matched.itemPage !== undefined && trimmed.startsWith(`${matched.path}/`))) ? matched : undefined;
  const Page = section === undefined ? undefined : trimmed === section.path ? section.page : section.itemPage;

  useEffect(() => {
    document.title = section === undefined ? 'Vigil' : `${section.label} - Vigil`;
  }, [section]);

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main">Skip to main content</a>
      <div className={styles.top}>
        <TopBar session={session} onSessionChange={onSessionChange} />
      </div>
      <LeftNav current={matched?.path} />
      <main id="main" className={styles.main} tabIndex={-1}>
        {path === '/' ? null
          : section === undefined ? <NotFoundPage path={path} />
          : Page === undefined ? <PlaceholderPage section={section} />
          : (
            <Suspense fallback={<Spinner label={`Loading ${section.label}…`} />}>
              <Page />
            </Suspense>
          )}
      </main>
    </div>
  );
}

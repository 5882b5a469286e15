import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Session } from '../auth/session.ts';
import { Link } from '../routing.tsx';
import { DirectoryFilterButton } from './DirectoryFilter.tsx';
import { AccountMenu } from './AccountMenu.tsx';
import { HOME_PATH } from './sections.ts';

const useStyles = makeStyles({
  bar: {
    height: '48px', display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: {
    color: tokens.colorNeutralForegroundOnBrand, textDecoration: 'none', fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400,
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}`, outlineOffset: '2px' },
  },
  product: { color: tokens.colorNeutralForegroundOnBrand },
  spacer: { flexGrow: 1 },
});

export function TopBar({ session, onSessionChange }: { session: Session; onSessionChange(): void }) {
  const styles = useStyles();
  return (
    <header className={styles.bar}>
      <Link className={styles.brand} href={HOME_PATH}>Vigil</Link>
      <Text className={styles.product}>Microsoft Sentinel</Text>
      <span className={styles.spacer} />
      <DirectoryFilterButton />
      <AccountMenu session={session} onSessionChange={onSessionChange} />
    </header>
  );
}

import type { ReactElement } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  DatabaseSearchRegular, DataTrendingRegular, FlashRegular, GridRegular, HomeRegular, ListRegular, PlugConnectedRegular, SettingsRegular,
  ShieldErrorRegular,
} from '@fluentui/react-icons';
import { Link } from '../routing.tsx';
import { SECTIONS } from './sections.ts';

const ICONS: Record<string, ReactElement> = {
  '/workspaces': <GridRegular />,
  '/overview': <HomeRegular />,
  '/incidents': <ShieldErrorRegular />,
  '/logs': <DatabaseSearchRegular />,
  '/analytics': <DataTrendingRegular />,
  '/watchlists': <ListRegular />,
  '/automation': <FlashRegular />,
  '/data-connectors': <PlugConnectedRegular />,
  '/settings': <SettingsRegular />,
};

const useStyles = makeStyles({
  nav: { backgroundColor: tokens.colorNeutralBackground1, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS, overflowY: 'auto' },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  link: {
    display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground1, textDecoration: 'none', fontSize: tokens.fontSizeBase300, borderLeft: '3px solid transparent',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
    '& svg': { fontSize: '20px', flexShrink: 0 },
  },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected, borderLeft: `3px solid ${tokens.colorBrandStroke1}`, fontWeight: tokens.fontWeightSemibold },
});

export function LeftNav({ current }: { current: string | undefined }) {
  const styles = useStyles();
  return (
    <nav className={styles.nav} aria-label="Microsoft Sentinel">
      <ul className={styles.list}>
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <Link
              href={s.path}
              className={mergeClasses(styles.link, s.path === current && styles.current)}
              aria-current={s.path === current ? 'page' : undefined}
            >
              {ICONS[s.path]}
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

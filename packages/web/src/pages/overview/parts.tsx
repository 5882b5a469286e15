// Pieces the Overview's panels share: a titled panel that loads on its own (spinner, the API's
// error with Try again), numbers, sizes and changes against the previous period.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import type { Loaded } from '../use-load.ts';

/**
 * Loads once per key and on retry; unlike useLoad, a new key shows the spinner at once (figures
 * of the previous time range must not stand as this one's while it loads).
 */
export function useFreshLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> }>({ key, loaded: { status: 'loading' } });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ key, loaded: { status: 'loading' } });
    load().then(
      (value) => { if (live) setState({ key, loaded: { status: 'ready', value } }); },
      (error: unknown) => { if (live) setState({ key, loaded: { status: 'failed', error } }); },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);
  return [state.key === key ? state.loaded : { status: 'loading' }, useCallback(() => setAttempt((a) => a + 1), [])];
}

export const usePanelStyles = makeStyles({
  panel: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0,
    padding: tokens.spacingHorizontalL, borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1, boxShadow: tokens.shadow4,
  },
  secondary: { color: tokens.colorNeutralForeground3 },
  figures: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
  figure: { display: 'flex', flexDirection: 'column' },
  number: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  numeric: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', '& > div': { justifyContent: 'flex-end' } },
  count: { fontVariantNumeric: 'tabular-nums' },
  /** Columns as wide as their content (Fluent's tables share the width equally). */
  fitted: { tableLayout: 'auto' },
  pair: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalXL },
  cell: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  details: { '& summary': { cursor: 'pointer', color: tokens.colorBrandForegroundLink, padding: `${tokens.spacingVerticalXS} 0` } },
});

export function Panel<T>({ id, title, state, retry, failure, loading, children }: {
  id: string;
  title: string;
  state: Loaded<T>;
  retry: () => void;
  /** What could not be loaded, for the error's title. */
  failure: string;
  loading: string;
  children: (value: T) => ReactNode;
}) {
  const styles = usePanelStyles();
  return (
    <section className={styles.panel} aria-labelledby={id} aria-busy={state.status === 'loading'}>
      <Title3 as="h2" id={id}>{title}</Title3>
      {state.status === 'loading' ? <Spinner size="small" label={loading} />
        : state.status === 'failed' ? <ErrorMessage title={failure} error={state.error} onRetry={retry} />
          : children(state.value)}
    </section>
  );
}

const NUMBER = new Intl.NumberFormat(undefined);
export const formatNumber = (n: number) => NUMBER.format(n);

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatNumber(Math.round(bytes))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}

/** The change from the previous period, as a sentence fragment: "+50% from 4", "new (none before)", "no change". */
export function changeText(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'none in either period' : 'none in the previous period';
  if (current === previous) return `no change from ${formatNumber(previous)}`;
  const percent = Math.round(((current - previous) / previous) * 100);
  return `${percent > 0 ? '+' : ''}${percent}% from ${formatNumber(previous)}`;
}

/** A large figure with its label and its change from the previous period. */
export function Figure({ label, current, previous }: { label: string; current: number; previous: number }) {
  const styles = usePanelStyles();
  return (
    <div className={styles.figure} role="group" aria-label={label}>
      <Text className={styles.secondary}>{label}</Text>
      <span className={styles.number}>{formatNumber(current)}</span>
      <Text className={styles.secondary}>{changeText(current, previous)}</Text>
    </div>
  );
}

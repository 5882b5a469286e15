// The Directory + subscription filter of the top bar: every directory and subscription the
// user can reach (own and delegated, delegated ones marked), several at a time, saved on the
// server. A subscription needs its directory (the API refuses otherwise), so ticking a
// subscription ticks its directory, and unticking a directory unticks its subscriptions.
import { useEffect, useState } from 'react';
import {
  Badge, Button, Checkbox, Popover, PopoverSurface, PopoverTrigger, Spinner, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { FilterRegular } from '@fluentui/react-icons';
import type { DirectoryFilter } from '../api/directory-filter.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { useFilter } from './filter-context.tsx';

const useStyles = makeStyles({
  trigger: { color: tokens.colorNeutralForegroundOnBrand, ':hover': { color: tokens.colorNeutralForegroundOnBrand } },
  surface: { width: '460px', maxHeight: 'calc(100vh - 80px)', overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  directory: { display: 'flex', flexDirection: 'column', borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS },
  subscriptions: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalXXL, margin: 0 },
  secondary: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
  badge: { marginLeft: tokens.spacingHorizontalS },
});

export function summary(filter: DirectoryFilter): string {
  const d = filter.directories.length;
  const s = filter.subscriptions.length;
  if (d === filter.available.directories.length && s === filter.available.subscriptions.length) return 'All directories and subscriptions';
  return `${d} ${d === 1 ? 'directory' : 'directories'}, ${s} ${s === 1 ? 'subscription' : 'subscriptions'}`;
}

export function DirectoryFilterButton() {
  const styles = useStyles();
  const { state } = useFilter();
  const [open, setOpen] = useState(false);
  const label = state.status === 'ready' ? summary(state.filter) : state.status === 'loading' ? 'Loading…' : 'Unavailable';
  return (
    <Popover open={open} onOpenChange={(_e, d) => setOpen(d.open)} trapFocus positioning="below-end">
      <PopoverTrigger disableButtonEnhancement>
        <Button appearance="transparent" className={styles.trigger} icon={<FilterRegular />}>
          Directory + subscription: {label}
        </Button>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} aria-labelledby="directory-filter-heading">
        <FilterPanel onDone={() => setOpen(false)} />
      </PopoverSurface>
    </Popover>
  );
}

function FilterPanel({ onDone }: { onDone(): void }) {
  const styles = useStyles();
  const { state, save, reload } = useFilter();
  const [directories, setDirectories] = useState<string[]>([]);
  const [subscriptions, setSubscriptions] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (state.status !== 'ready') return;
    setDirectories(state.filter.directories);
    setSubscriptions(state.filter.subscriptions);
  }, [state]);

  const heading = <h2 id="directory-filter-heading" className={styles.heading}>Directory + subscription filter</h2>;
  if (state.status === 'loading') return <>{heading}<Spinner label="Loading directories and subscriptions…" /></>;
  if (state.status === 'failed') return <>{heading}<ErrorMessage title="The filter could not be loaded" error={state.error} onRetry={reload} /></>;
  const { available } = state.filter;

  const subsOf = (directoryId: string) => available.subscriptions.filter((s) => s.directoryId === directoryId);
  const toggleDirectory = (id: string, on: boolean) => {
    const ids = subsOf(id).map((s) => s.id);
    setDirectories((ds) => (on ? [...new Set([...ds, id])] : ds.filter((d) => d !== id)));
    setSubscriptions((ss) => (on ? [...new Set([...ss, ...ids])] : ss.filter((s) => !ids.includes(s))));
  };
  const toggleSubscription = (id: string, directoryId: string, on: boolean) => {
    setSubscriptions((ss) => (on ? [...new Set([...ss, id])] : ss.filter((s) => s !== id)));
    if (on) setDirectories((ds) => [...new Set([...ds, directoryId])]);
  };
  const apply = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await save(directories, subscriptions);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {heading}
      <Text className={styles.secondary}>
        Choose the directories and subscriptions to work on. Delegated ones are your customers’, reached through Azure Lighthouse.
      </Text>
      {available.directories.map((d) => (
        <div key={d.id} className={styles.directory} role="group" aria-label={`Directory ${d.displayName}`}>
          <Checkbox
            checked={directories.includes(d.id)}
            onChange={(_e, data) => toggleDirectory(d.id, data.checked === true)}
            label={
              <>
                <Text weight="semibold">{d.displayName}</Text> <Text className={styles.secondary}>{d.defaultDomain}</Text>
                {d.delegated
                  ? <Badge className={styles.badge} appearance="tint" color="brand">Delegated</Badge>
                  : <Badge className={styles.badge} appearance="outline" color="informative">Home</Badge>}
              </>
            }
          />
          <ul className={styles.subscriptions} aria-label={`Subscriptions of ${d.displayName}`} style={{ listStyle: 'none' }}>
            {subsOf(d.id).map((s) => (
              <li key={s.id}>
                <Checkbox
                  checked={subscriptions.includes(s.id)}
                  onChange={(_e, data) => toggleSubscription(s.id, d.id, data.checked === true)}
                  label={<>{s.displayName} <Text className={styles.secondary} size={200}>{s.id}</Text></>}
                />
              </li>
            ))}
            {subsOf(d.id).length === 0 ? <li><Text className={styles.secondary}>No subscriptions you can reach.</Text></li> : null}
          </ul>
        </div>
      ))}
      {error !== undefined ? <ErrorMessage title="The filter was not saved" error={error} /> : null}
      <div className={styles.actions}>
        <Button appearance="primary" onClick={() => void apply()} disabled={saving}>{saving ? 'Applying…' : 'Apply'}</Button>
        <Button onClick={onDone} disabled={saving}>Cancel</Button>
      </div>
    </>
  );
}

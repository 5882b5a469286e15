// The Directory + subscription filter of the signed-in user, loaded once for the shell and
// shared by every page that works on the selection. The choice is saved on the server
// (per user and directory signed in to), so it is remembered across reloads and browsers.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getDirectoryFilter, saveDirectoryFilter, type DirectoryFilter } from '../api/directory-filter.ts';
import type { Session } from '../auth/session.ts';

export type FilterState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; filter: DirectoryFilter };

interface FilterContextValue {
  state: FilterState;
  session: Session;
  reload(): void;
  /** Saves a new choice; throws the API's error (the filter panel shows it). */
  save(directories: string[], subscriptions: string[]): Promise<void>;
}

const FilterContext = createContext<FilterContextValue | undefined>(undefined);

export function FilterProvider({ session, children }: { session: Session; children: ReactNode }) {
  const [state, setState] = useState<FilterState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    getDirectoryFilter().then(
      (filter) => { if (live) setState({ status: 'ready', filter }); },
      (error: unknown) => { if (live) setState({ status: 'failed', error }); },
    );
    return () => { live = false; };
  }, [attempt]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const save = useCallback(async (directories: string[], subscriptions: string[]) => {
    const filter = await saveDirectoryFilter(directories, subscriptions);
    setState({ status: 'ready', filter });
  }, []);
  const value = useMemo(() => ({ state, session, reload, save }), [state, session, reload, save]);
  return <FilterContext.Provider value={value}>{children}</FilterContext.Provider>;
}

export function useFilter(): FilterContextValue {
  const value = useContext(FilterContext);
  if (value === undefined) throw new Error('useFilter() outside <FilterProvider>');
  return value;
}

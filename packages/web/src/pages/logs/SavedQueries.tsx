// The workspace's saved queries (ARM savedSearches): open one into the editor, delete one after
// a confirmation; saving is the page's Save dialog (SaveQueryDialog below). Functions (saved
// searches with an alias) are listed too, as Log Analytics lists them, and open the same way.
import { useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Spinner, Text,
  makeStyles, tokens,
} from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { deleteSavedSearch, saveSearch, type SavedSearch } from '../../api/query.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import type { Loaded } from '../use-load.ts';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  open: { flexGrow: 1, justifyContent: 'flex-start', textAlign: 'left', minWidth: 0 },
  category: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, marginTop: tokens.spacingVerticalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function SavedQueries({ saved, workspaceId, mayDelete, onOpen, onChanged }: {
  saved: Loaded<SavedSearch[]>;
  workspaceId: string;
  /** The caller's permissions allow savedSearches/delete. */
  mayDelete: boolean;
  onOpen: (s: SavedSearch) => void;
  onChanged: () => void;
}) {
  const styles = useStyles();
  const [deleting, setDeleting] = useState<SavedSearch>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (saved.status === 'loading') return <Spinner size="tiny" label="Loading saved queries…" />;
  if (saved.status === 'failed') return <ErrorMessage title="Saved queries could not be loaded" error={saved.error} onRetry={onChanged} />;
  const byCategory = new Map<string, SavedSearch[]>();
  for (const s of [...saved.value].sort((a, b) => a.properties.displayName.localeCompare(b.properties.displayName))) {
    const list = byCategory.get(s.properties.category) ?? [];
    list.push(s);
    byCategory.set(s.properties.category, list);
  }
  const remove = async (s: SavedSearch) => {
    setBusy(true);
    setError(undefined);
    try {
      await deleteSavedSearch(workspaceId, s.name);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setDeleting(undefined);
    }
  };
  return (
    <div>
      {error !== undefined ? <ErrorMessage title="The saved query could not be deleted" error={error} /> : null}
      {saved.value.length === 0 ? <Text>No saved queries in this workspace yet. Write a query and choose Save.</Text> : null}
      {[...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([category, searches]) => (
        <section key={category} aria-label={`Saved queries: ${category}`}>
          <div className={styles.category}>{category}</div>
          <ul className={styles.list}>
            {searches.map((s) => (
              <li key={s.id} className={styles.item}>
                <Button appearance="subtle" className={styles.open} title={s.properties.query} onClick={() => onOpen(s)}>
                  {s.properties.displayName}{s.properties.functionAlias !== undefined ? ` (function ${s.properties.functionAlias})` : ''}
                </Button>
                <Button appearance="subtle" icon={<DeleteRegular />} disabled={!mayDelete} aria-label={`Delete ${s.properties.displayName}`} onClick={() => setDeleting(s)} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <Dialog open={deleting !== undefined} onOpenChange={(_e, d) => { if (!d.open) setDeleting(undefined); }}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete the saved query?</DialogTitle>
            <DialogContent>“{deleting?.properties.displayName}” ({deleting?.properties.category}) is deleted from the workspace for everyone who uses it.</DialogContent>
            <DialogActions>
              <Button appearance="primary" disabled={busy} onClick={() => deleting !== undefined && void remove(deleting)}>Delete</Button>
              <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}

/** Save the editor's query in the workspace: a name and a category (PUT .../savedSearches/<new id>). */
export function SaveQueryDialog({ open, workspaceId, workspaceName, query, onClose, onSaved }: {
  open: boolean;
  workspaceId: string;
  workspaceName: string;
  query: () => string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const styles = useStyles();
  const [name, setName] = useState('');
  const [category, setCategory] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<string>();
  const save = async () => {
    const text = query().trim();
    if (name.trim() === '') return setProblem('Give the query a name.');
    if (category.trim() === '') return setProblem('Give the query a category (for example Hunting).');
    if (text === '') return setProblem('The editor is empty: write the query to save first.');
    setProblem(undefined);
    setBusy(true);
    setError(undefined);
    try {
      await saveSearch(workspaceId, crypto.randomUUID(), { displayName: name.trim(), category: category.trim(), query: text });
      setName('');
      setCategory('');
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) { setError(undefined); setProblem(undefined); onClose(); } }}>
      <DialogSurface>
        <form noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <DialogBody>
            <DialogTitle>Save the query in {workspaceName}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Name" required validationMessage={problem?.includes('name') ? problem : undefined}>
                <Input value={name} onChange={(_e, d) => setName(d.value)} />
              </Field>
              <Field label="Category" required validationMessage={problem?.includes('category') ? problem : undefined}>
                <Input value={category} onChange={(_e, d) => setCategory(d.value)} />
              </Field>
              {problem !== undefined && !problem.includes('name') && !problem.includes('category') ? <Text role="alert">{problem}</Text> : null}
              {error !== undefined ? <ErrorMessage title="The query could not be saved" error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</Button>
              <Button onClick={onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

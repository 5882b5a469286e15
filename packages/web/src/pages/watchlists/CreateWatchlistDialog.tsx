// A new watchlist from a CSV or TSV file chosen in the browser: its name, alias, description and
// search key (a column of the file's header). The server takes the file whole or not at all: a
// refusal lists every bad line (the error's details), and nothing typed is lost.
import { useEffect, useMemo, useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Select, SpinButton,
  Text, Textarea, makeStyles, tokens,
} from '@fluentui/react-components';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { createWatchlist, headerColumns, kqlOf, type Watchlist } from '../../api/watchlists.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { errorDetails } from '../format.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& > *': { flexShrink: 0 } },
  problems: {
    margin: 0, paddingLeft: tokens.spacingHorizontalXL, maxHeight: '180px', overflowY: 'auto',
    fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200,
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const aliasOf = (name: string) => name.trim().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '').slice(0, 64);

interface Props {
  open: boolean;
  workspace: SentinelWorkspace;
  existing: string[];
  onCancel(): void;
  onCreated(w: Watchlist): void;
}

export function CreateWatchlistDialog({ open, workspace, existing, onCancel, onCreated }: Props) {
  const styles = useStyles();
  const [name, setName] = useState('');
  const [alias, setAlias] = useState('');
  const [aliasTouched, setAliasTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [fileError, setFileError] = useState<string>();
  const [linesToSkip, setLinesToSkip] = useState(0);
  const [searchKey, setSearchKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    if (!open) return;
    setName(''); setAlias(''); setAliasTouched(false); setDescription(''); setFile(undefined); setFileError(undefined);
    setLinesToSkip(0); setSearchKey(''); setError(undefined); setTried(false);
  }, [open]);

  const tsv = file !== undefined && /\.(tsv|tab)$/i.test(file.name);
  const columns = useMemo(() => (file === undefined ? [] : headerColumns(file.text, tsv ? '\t' : ',', linesToSkip)), [file, tsv, linesToSkip]);
  useEffect(() => {
    if (columns.length > 0 && !columns.includes(searchKey)) setSearchKey(columns[0]!);
  }, [columns, searchKey]);

  const nameProblem = name.trim() === '' ? 'Give the watchlist a name.' : undefined;
  const aliasProblem = !ALIAS.test(alias)
    ? "1 to 64 letters, digits, '-' and '_', starting with a letter or digit: queries name it in _GetWatchlist('alias')."
    : existing.some((a) => a.toLowerCase() === alias.toLowerCase()) ? `${workspace.name} already has a watchlist '${alias}': choose another alias (creating it again would replace its items).` : undefined;
  const fileProblem = fileError ?? (file === undefined ? 'Choose a CSV (or TSV) file: a header line naming the columns, then one line per item.' : undefined);
  const keyProblem = file !== undefined && columns.length === 0 ? 'The file has no header line with column names after the lines skipped.' : undefined;
  const invalid = nameProblem ?? aliasProblem ?? fileProblem ?? keyProblem;

  const pick = async (f: File | undefined) => {
    setError(undefined);
    if (f === undefined) { setFile(undefined); return; }
    try {
      setFile({ name: f.name, text: await f.text() });
      setFileError(undefined);
    } catch (e) {
      setFile(undefined);
      setFileError(`${f.name} could not be read: ${(e as Error).message}`);
    }
  };

  const submit = async () => {
    setTried(true);
    if (invalid !== undefined || file === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await createWatchlist(workspace.id, {
        displayName: name.trim(), alias, description, itemsSearchKey: searchKey, fileName: file.name, rawContent: file.text,
        contentType: tsv ? 'text/tsv' : 'text/csv', numberOfLinesToSkip: linesToSkip,
      });
      onCreated(created);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const state = (problem: string | undefined) => (tried && problem !== undefined ? 'error' as const : 'none' as const);
  const details = errorDetails(error);
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
          <DialogBody>
            <DialogTitle>New watchlist</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>In {workspace.name} ({workspace.directoryName}). The file is taken whole: if a line is wrong, nothing is created and every bad line is listed.</Text>
              <Field label="Name" required validationState={state(nameProblem)} validationMessage={tried ? nameProblem : undefined}>
                <Input value={name} onChange={(_e, d) => { setName(d.value); if (!aliasTouched) setAlias(aliasOf(d.value)); }} />
              </Field>
              <Field label="Alias" required hint={ALIAS.test(alias) ? `Queries read it with ${kqlOf(alias)}.` : undefined}
                validationState={alias !== '' || tried ? (aliasProblem !== undefined ? 'error' : 'none') : 'none'}
                validationMessage={alias !== '' || tried ? aliasProblem : undefined}>
                <Input value={alias} onChange={(_e, d) => { setAlias(d.value); setAliasTouched(true); }} />
              </Field>
              <Field label="Description">
                <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} resize="vertical" />
              </Field>
              <Field label="File (CSV or TSV)" required validationState={state(fileProblem)} validationMessage={tried || fileError !== undefined ? fileProblem : undefined}
                hint={file !== undefined ? `${file.name}: ${file.text.length.toLocaleString()} characters, ${tsv ? 'tab-separated' : 'comma-separated'}.` : 'A .csv file (comma-separated) or .tsv (tab-separated), with a header line.'}>
                {(props) => <input {...props} type="file" accept=".csv,.tsv,text/csv,text/tab-separated-values" onChange={(e) => { void pick(e.target.files?.[0]); }} />}
              </Field>
              <Field label="Lines before the header" hint="Lines at the top of the file to skip (a title, say).">
                <SpinButton value={linesToSkip} min={0} max={1000} onChange={(_e, d) => {
                  const v = d.value ?? Number(d.displayValue);
                  if (Number.isInteger(v) && v >= 0) setLinesToSkip(v);
                }} />
              </Field>
              <Field label="Search key" required hint="The column that keys items: SearchKey in _GetWatchlist, the column to join on."
                validationState={state(keyProblem)} validationMessage={tried ? keyProblem : undefined}>
                <Select value={searchKey} disabled={columns.length === 0} onChange={(_e, d) => setSearchKey(d.value)}>
                  {columns.length === 0 ? <option value="">Choose a file first</option> : null}
                  {columns.map((c) => <option key={c} value={c}>{c}</option>)}
                </Select>
              </Field>
              {error !== undefined ? (
                <ErrorMessage title="The watchlist was not created" error={details.length > 0
                  ? Object.assign(new Error(`The server refused the file, so nothing was saved. Fix the line${details.length === 1 ? '' : 's'} below and choose the file again.`), { code: (error as { code?: string }).code })
                  : error} />
              ) : null}
              {details.length > 0 ? (
                <section aria-label="Every problem the server found">
                  <Text weight="semibold">{details.length === 1 ? '1 problem' : `${details.length} problems`} in {file?.name ?? 'the file'}:</Text>
                  <ul className={styles.problems} tabIndex={0} aria-label="Problems in the file">
                    {details.map((d, i) => <li key={i}>{d.message}</li>)}
                  </ul>
                </section>
              ) : null}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create'}</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

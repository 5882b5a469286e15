// Import: an ARM template of analytics rules (Sentinel's Export, or this portal's) read in the
// browser, each rule saved with the alertRules PUT; each rule's result is listed (created,
// replaced, refused with the server's message, or not read with why).
import { useEffect, useState } from 'react';
import {
  Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Label, ProgressBar,
  Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens, useId,
} from '@fluentui/react-components';
import { saveRule } from '../../api/analytics.ts';
import { ApiError } from '../../api/arm-client.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { ErrorMessage } from '../../shell/ErrorMessage.tsx';
import { rulesFromArmTemplate } from './arm-template.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  surface: { maxWidth: '900px', width: '90vw' },
  table: { tableLayout: 'auto' },
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  refused: { display: 'block', color: tokens.colorPaletteRedForeground1, wordBreak: 'break-word', margin: `${tokens.spacingVerticalXXS} 0 0` },
});

interface Result { where: string; name: string; displayName: string; outcome: 'Created' | 'Replaced' | 'Refused' | 'Not read'; message?: string }

export function ImportDialog({ open, workspace, existing, onClose }: { open: boolean; workspace: SentinelWorkspace; existing: Set<string>; onClose(imported: boolean): void }) {
  const styles = useStyles();
  const fileId = useId('import-file');
  const [fileError, setFileError] = useState<unknown>();
  const [results, setResults] = useState<Result[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  useEffect(() => {
    if (open) { setFileError(undefined); setResults([]); setProgress(undefined); }
  }, [open]);
  const running = progress !== undefined && progress.done < progress.total;

  const importFile = async (file: File) => {
    setFileError(undefined);
    setResults([]);
    let rules;
    try {
      rules = rulesFromArmTemplate(await file.text());
    } catch (error) {
      setFileError(error);
      return;
    }
    const out: Result[] = [];
    setProgress({ done: 0, total: rules.length });
    for (const rule of rules) {
      if (!rule.ok) {
        out.push({ where: rule.where, name: rule.name ?? '', displayName: '', outcome: 'Not read', message: rule.message });
      } else {
        const displayName = typeof rule.properties.displayName === 'string' ? rule.properties.displayName : '';
        try {
          await saveRule(workspace.id, rule.name, rule.kind, rule.properties);
          out.push({ where: rule.where, name: rule.name, displayName, outcome: existing.has(rule.name.toLowerCase()) ? 'Replaced' : 'Created' });
        } catch (error) {
          const message = error instanceof ApiError ? `${error.message} (${error.code})` : (error as Error).message;
          out.push({ where: rule.where, name: rule.name, displayName, outcome: 'Refused', message });
        }
      }
      setResults([...out]);
      setProgress({ done: out.length, total: rules.length });
    }
  };

  const saved = results.filter((r) => r.outcome === 'Created' || r.outcome === 'Replaced').length;
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open && !running) onClose(saved > 0); }}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Import analytics rules</DialogTitle>
          <DialogContent className={styles.form}>
            <Text>
              Into {workspace.name} ({workspace.directoryName}). Choose the ARM template (.json) that Microsoft Sentinel&apos;s Export, or this
              page&apos;s, wrote. A rule whose name exists in the workspace is replaced.
            </Text>
            <div className={styles.file}>
              <Label htmlFor={fileId}>ARM template file</Label>
              <input id={fileId} type="file" accept=".json,application/json" disabled={running}
                onChange={(e) => { const f = e.target.files?.[0]; if (f !== undefined) void importFile(f); e.target.value = ''; }} />
            </div>
            {fileError !== undefined ? <ErrorMessage title="The file could not be read" error={fileError} /> : null}
            {progress !== undefined ? (
              <Field label={running ? `Importing rule ${progress.done + 1} of ${progress.total}…` : `${saved} of ${progress.total} rule${progress.total === 1 ? '' : 's'} imported`}
                validationState="none">
                <ProgressBar value={progress.total === 0 ? 1 : progress.done / progress.total} />
              </Field>
            ) : null}
            {results.length > 0 ? (
              <Table className={styles.table} aria-label="Import results" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Rule</TableHeaderCell>
                    <TableHeaderCell>Result</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {results.map((r) => (
                    <TableRow key={r.where}>
                      <TableCell>{r.displayName || r.name || r.where}</TableCell>
                      <TableCell>
                        <Badge appearance="tint" color={r.outcome === 'Created' || r.outcome === 'Replaced' ? 'success' : 'danger'}>{r.outcome}</Badge>
                        {r.message !== undefined ? <Text as="p" size={200} className={styles.refused}>{r.message}</Text> : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={running} onClick={() => onClose(saved > 0)}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

// The dialogs of the incident changes: assign to a user, close with a classification.
import { useEffect, useState } from 'react';
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Select, Textarea,
} from '@fluentui/react-components';
import {
  CLASSIFICATION_LABELS, CLASSIFICATIONS, REASON_LABELS, REASONS_OF, type Classification, type ClassificationReason,
} from '../api/incidents.ts';

export function AssignDialog({ open, count, onCancel, onAssign }: { open: boolean; count: number; onCancel(): void; onAssign(upn: string): void }) {
  const [upn, setUpn] = useState('');
  useEffect(() => { if (open) setUpn(''); }, [open]);
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={(e) => { e.preventDefault(); onAssign(upn.trim()); }}>
          <DialogBody>
            <DialogTitle>Assign {count} {count === 1 ? 'incident' : 'incidents'}</DialogTitle>
            <DialogContent>
              <Field label="Owner (user principal name)" hint="Leave empty to unassign. The owner must be able to open the incident's workspace.">
                <Input value={upn} onChange={(_e, d) => setUpn(d.value)} placeholder="name@example.com" />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit">Assign</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

export interface Closing { classification: Classification; classificationReason?: ClassificationReason; classificationComment?: string }

/** Sentinel's close: a classification, the reason that goes with it, and a comment. */
export function CloseDialog({ open, count, onCancel, onClose }: { open: boolean; count?: number; onCancel(): void; onClose(c: Closing): void }) {
  const [classification, setClassification] = useState<Classification>('TruePositive');
  const [reason, setReason] = useState<ClassificationReason | ''>('SuspiciousActivity');
  const [comment, setComment] = useState('');
  useEffect(() => { if (open) { setClassification('TruePositive'); setReason('SuspiciousActivity'); setComment(''); } }, [open]);
  const reasons = REASONS_OF[classification];
  return (
    <Dialog open={open} onOpenChange={(_e, d) => { if (!d.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={(e) => {
          e.preventDefault();
          onClose({ classification, ...(reason === '' ? {} : { classificationReason: reason }), ...(comment.trim() === '' ? {} : { classificationComment: comment.trim() }) });
        }}>
          <DialogBody>
            <DialogTitle>{count === undefined ? 'Close the incident' : `Close ${count} ${count === 1 ? 'incident' : 'incidents'}`}</DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              <Field label="Classification" required>
                <Select value={classification} onChange={(_e, d) => {
                  const c = d.value as Classification;
                  setClassification(c);
                  setReason(REASONS_OF[c][0] ?? '');
                }}>
                  {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{CLASSIFICATION_LABELS[c]}</option>)}
                </Select>
              </Field>
              <Field label="Reason">
                <Select value={reason} disabled={reasons.length === 0} onChange={(_e, d) => setReason(d.value as ClassificationReason)}>
                  {reasons.length === 0 ? <option value="">None</option> : reasons.map((r) => <option key={r} value={r}>{REASON_LABELS[r]}</option>)}
                </Select>
              </Field>
              <Field label="Comment">
                <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} maxLength={4000} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit">Close incident{count === undefined || count === 1 ? '' : 's'}</Button>
              <Button onClick={onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

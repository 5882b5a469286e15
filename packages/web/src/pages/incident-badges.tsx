// Severity and status as Sentinel shows them, and times in the reader's locale.
import { Badge } from '@fluentui/react-components';
import type { Severity, Status } from '../api/incidents.ts';

const SEVERITY_COLOR = { High: 'danger', Medium: 'warning', Low: 'informative', Informational: 'subtle' } as const;
const STATUS_COLOR = { New: 'brand', Active: 'important', Closed: 'success' } as const;

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge appearance="tint" color={SEVERITY_COLOR[severity] ?? 'informative'}>{severity}</Badge>;
}

export function StatusBadge({ status }: { status: Status }) {
  return <Badge appearance="outline" color={STATUS_COLOR[status] ?? 'informative'}>{status}</Badge>;
}

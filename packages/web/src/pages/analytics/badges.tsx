// Severity as Sentinel shows it, and MITRE tactics in words.
import { Badge } from '@fluentui/react-components';

const SEVERITY_COLOR: Record<string, 'danger' | 'warning' | 'informative' | 'subtle'> = { High: 'danger', Medium: 'warning', Low: 'informative', Informational: 'subtle' };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge appearance="tint" color={SEVERITY_COLOR[severity] ?? 'informative'}>{severity}</Badge>;
}

/** CredentialAccess -> Credential Access; CommandAndControl -> Command And Control. */
export const tacticLabel = (t: string) => t.replace(/([a-z])([A-Z])/g, '$1 $2');

// Who is calling: resolved once per request from a verified token.
import type { PrincipalKind } from '../db/schema.ts';

export interface Caller {
  /** The object id in the token's directory (for a guest, the guest object). */
  principalId: string;
  /** The directory the token was issued by (`tid`). */
  directoryId: string;
  kind: PrincipalKind;
  displayName: string;
  /** Sign-in name for users, application id for service principals. */
  name: string;
  /** Groups of the token's directory the principal belongs to, transitively. */
  groupIds: readonly string[];
}

/** The principal ids a role assignment or authorization may name to apply to this caller. */
export function callerIdentities(caller: Caller): string[] {
  return [caller.principalId, ...caller.groupIds];
}

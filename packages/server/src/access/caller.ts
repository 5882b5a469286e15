// Who is calling: resolved once per request from a verified token.
import type { Db } from '../db/database.ts';
import type { PrincipalKind } from '../db/schema.ts';
import { getPrincipal, transitiveGroupIds } from '../control/directories.ts';

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

/**
 * The caller a principal is, as a request of theirs would be (its groups resolved now). Work
 * done on someone's behalf later, such as an analytics rule's runs, acts as this caller, so it
 * reaches exactly what that principal could reach at that moment. Undefined once the principal
 * is gone.
 */
export async function callerOfPrincipal(db: Db, principalId: string): Promise<Caller | undefined> {
  const principal = await getPrincipal(db, principalId);
  if (principal === undefined) return undefined;
  return {
    principalId: principal.id,
    directoryId: principal.directory_id,
    kind: principal.kind,
    displayName: principal.display_name,
    name: principal.user_principal_name ?? principal.app_id ?? principal.id,
    groupIds: await transitiveGroupIds(db, principal.id),
  };
}

// Directories (Entra ID tenants) and their principals: users, groups, service principals, guests.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { DirectoryTable, PrincipalKind, PrincipalTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { isGuid } from '../arm/resource-id.ts';
import { generateClientSecret, hashSecret, verifySecret } from '../identity/secrets.ts';

export type Directory = DirectoryTable;
export type Principal = PrincipalTable;

export async function getDirectory(db: Db, id: string): Promise<Directory | undefined> {
  if (!isGuid(id)) return undefined;
  return db.selectFrom('directories').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

/** Finds a directory by id or by its default domain (Entra accepts both in the authority URL). */
export async function findDirectory(db: Db, idOrDomain: string): Promise<Directory | undefined> {
  if (isGuid(idOrDomain)) return getDirectory(db, idOrDomain);
  return db.selectFrom('directories').selectAll().where('default_domain', '=', idOrDomain.toLowerCase()).executeTakeFirst();
}

export async function createDirectory(db: Db, input: { id?: string; displayName: string; defaultDomain: string }): Promise<Directory> {
  const row: Directory = {
    id: (input.id ?? randomUUID()).toLowerCase(),
    display_name: input.displayName,
    default_domain: input.defaultDomain.toLowerCase(),
    created_at: new Date().toISOString(),
  };
  await db.insertInto('directories').values(row).execute();
  return row;
}

export async function getPrincipal(db: Db, id: string): Promise<Principal | undefined> {
  if (!isGuid(id)) return undefined;
  return db.selectFrom('principals').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

export async function createPrincipal(
  db: Db,
  input: {
    id?: string;
    directoryId: string;
    kind: PrincipalKind;
    displayName: string;
    userPrincipalName?: string;
    password?: string;
    homePrincipalId?: string;
    appId?: string;
  },
): Promise<Principal> {
  const row: Principal = {
    id: (input.id ?? randomUUID()).toLowerCase(),
    directory_id: input.directoryId.toLowerCase(),
    kind: input.kind,
    display_name: input.displayName,
    user_principal_name: input.userPrincipalName?.toLowerCase() ?? null,
    password_hash: input.password === undefined ? null : await hashSecret(input.password),
    home_principal_id: input.homePrincipalId?.toLowerCase() ?? null,
    app_id: input.kind === 'ServicePrincipal' ? (input.appId ?? randomUUID()).toLowerCase() : null,
    created_at: new Date().toISOString(),
  };
  await db.insertInto('principals').values(row).execute();
  return row;
}

/**
 * Invites a user into another directory as a guest (Entra B2B): a new user object in the
 * host directory, linked to the home user whose password it signs in with.
 */
export async function inviteGuest(db: Db, homeUser: Principal, hostDirectoryId: string, guestId?: string): Promise<Principal> {
  if (homeUser.kind !== 'User') throw new ApiError('InvalidParameter', `Only users can be invited as guests; '${homeUser.display_name}' is a ${homeUser.kind}.`);
  if (homeUser.directory_id === hostDirectoryId.toLowerCase()) {
    throw new ApiError('InvalidParameter', `'${homeUser.user_principal_name}' is already a member of that directory.`);
  }
  const input: Parameters<typeof createPrincipal>[1] = {
    directoryId: hostDirectoryId,
    kind: 'User',
    displayName: homeUser.display_name,
    userPrincipalName: homeUser.user_principal_name ?? undefined,
    homePrincipalId: homeUser.id,
  };
  if (guestId !== undefined) input.id = guestId;
  return createPrincipal(db, input);
}


export async function addGroupMember(db: Db, groupId: string, memberId: string): Promise<void> {
  await db.insertInto('group_members').values({ group_id: groupId.toLowerCase(), member_id: memberId.toLowerCase() })
    .onConflict((oc) => oc.doNothing()).execute();
}

/** Every group the principal belongs to, directly or through nested groups. */
export async function transitiveGroupIds(db: Db, principalId: string): Promise<string[]> {
  const seen = new Set<string>();
  let frontier = [principalId.toLowerCase()];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('group_members').select('group_id').where('member_id', 'in', frontier).execute();
    frontier = [];
    for (const { group_id } of rows) {
      if (!seen.has(group_id)) {
        seen.add(group_id);
        frontier.push(group_id);
      }
    }
  }
  return [...seen];
}

/** Adds a client secret to a service principal and returns its value: shown once, stored hashed. */
export async function addClientSecret(
  db: Db,
  principalId: string,
  options: { displayName?: string; value?: string; expiresAt?: Date } = {},
): Promise<{ id: string; value: string; hint: string; expiresAt: string }> {
  const value = options.value ?? generateClientSecret();
  const expiresAt = (options.expiresAt ?? new Date(Date.now() + 2 * 365 * 86_400_000)).toISOString();
  const row = {
    id: randomUUID(),
    principal_id: principalId.toLowerCase(),
    secret_hash: await hashSecret(value),
    hint: value.slice(0, 3),
    display_name: options.displayName ?? 'secret',
    expires_at: expiresAt,
    created_at: new Date().toISOString(),
  };
  await db.insertInto('client_secrets').values(row).execute();
  return { id: row.id, value, hint: row.hint, expiresAt };
}

export async function verifyClientSecret(db: Db, principalId: string, value: string, now: Date): Promise<boolean> {
  const rows = await db.selectFrom('client_secrets').select(['secret_hash', 'expires_at']).where('principal_id', '=', principalId).execute();
  for (const row of rows) {
    if (row.expires_at > now.toISOString() && (await verifySecret(value, row.secret_hash))) return true;
  }
  return false;
}

/** Users of a directory by sign-in name: members and guests alike. */
export async function findUserByName(db: Db, directoryId: string, userPrincipalName: string): Promise<Principal | undefined> {
  return db.selectFrom('principals').selectAll()
    .where('directory_id', '=', directoryId.toLowerCase())
    .where('kind', '=', 'User')
    .where('user_principal_name', '=', userPrincipalName.toLowerCase())
    .executeTakeFirst();
}

export async function findServicePrincipalByAppId(db: Db, directoryId: string, appId: string): Promise<Principal | undefined> {
  if (!isGuid(appId)) return undefined;
  return db.selectFrom('principals').selectAll()
    .where('directory_id', '=', directoryId.toLowerCase())
    .where('kind', '=', 'ServicePrincipal')
    .where('app_id', '=', appId.toLowerCase())
    .executeTakeFirst();
}

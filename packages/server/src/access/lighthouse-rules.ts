// Azure Lighthouse's rules for what a registration definition may delegate, checked before
// anything is written. Each violation names the field, what is wrong and how to fix it.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { ApiError } from '../errors.ts';
import { isGuid } from '../arm/resource-id.ts';
import { findBuiltinRole, hasDataActions, ROLE_IDS } from './builtin-roles.ts';
import type { Authorization, EligibleAuthorization } from './delegation-types.ts';

const AuthorizationSchema = z.object({
  principalId: z.string(),
  principalIdDisplayName: z.string().optional(),
  roleDefinitionId: z.string(),
  delegatedRoleDefinitionIds: z.array(z.string()).optional(),
}).strict();

const EligibleSchema = z.object({
  principalId: z.string(),
  principalIdDisplayName: z.string().optional(),
  roleDefinitionId: z.string(),
  justInTimeAccessPolicy: z.object({
    multiFactorAuthProvider: z.enum(['Azure', 'None']),
    maximumActivationDuration: z.string().default('PT8H'),
    managedByTenantApprovers: z.array(z.object({ principalId: z.string(), principalIdDisplayName: z.string().optional() }).strict()).optional(),
  }).strict(),
}).strict();

export const RegistrationDefinitionProperties = z.object({
  registrationDefinitionName: z.string().min(1, 'registrationDefinitionName (the offer name customers see) is required'),
  description: z.string().optional(),
  managedByTenantId: z.string(),
  authorizations: z.array(AuthorizationSchema).min(1, 'at least one authorization is required'),
  eligibleAuthorizations: z.array(EligibleSchema).optional(),
}).passthrough();

export type RegistrationDefinitionInput = z.infer<typeof RegistrationDefinitionProperties>;

const MIN_ACTIVATION_MINUTES = 30;
const MAX_ACTIVATION_MINUTES = 8 * 60;
const MAX_APPROVERS = 10;

function rule(message: string, target: string, code: 'DelegationRuleViolation' | 'PrincipalNotFound' | 'RoleDefinitionNotFound' | 'InvalidParameter' = 'DelegationRuleViolation'): ApiError {
  return new ApiError(code, message, { target });
}

/** Validates a definition against Lighthouse's rules; returns it with ids lower-cased. */
export async function checkRegistrationDefinition(
  db: Db,
  customerDirectoryId: string,
  input: RegistrationDefinitionInput,
  at = 'properties',
): Promise<{ authorizations: Authorization[]; eligibleAuthorizations: EligibleAuthorization[]; managedByTenantId: string }> {
  const managedBy = input.managedByTenantId.trim();
  if (!isGuid(managedBy)) {
    throw rule(`${at}.managedByTenantId '${managedBy}' is not a tenant id. Replace it with the managing directory's tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47); published parameter files carry a placeholder here.`, `${at}.managedByTenantId`, 'InvalidParameter');
  }
  const managedByTenantId = managedBy.toLowerCase();
  if (managedByTenantId === customerDirectoryId) {
    throw rule(`${at}.managedByTenantId is this subscription's own directory. A delegation is from a customer directory to a different, managing directory.`, `${at}.managedByTenantId`);
  }
  const tenant = await db.selectFrom('directories').select('id').where('id', '=', managedByTenantId).executeTakeFirst();
  if (tenant === undefined) {
    throw rule(`${at}.managedByTenantId '${managedByTenantId}' is not a directory known to this server. Check the managing tenant id.`, `${at}.managedByTenantId`, 'InvalidParameter');
  }

  const authorizations: Authorization[] = [];
  for (const [i, a] of input.authorizations.entries()) {
    const where = `${at}.authorizations[${i}]`;
    const principal = await requireManagingPrincipal(db, managedByTenantId, a.principalId, where);
    const role = requireDelegableRole(a.roleDefinitionId, where);
    const isUaa = role.id === ROLE_IDS.userAccessAdministrator;
    if (isUaa && (a.delegatedRoleDefinitionIds === undefined || a.delegatedRoleDefinitionIds.length === 0)) {
      throw rule(`${where}: User Access Administrator can be delegated only to assign specific roles to managed identities. List them in delegatedRoleDefinitionIds.`, `${where}.delegatedRoleDefinitionIds`);
    }
    if (!isUaa && a.delegatedRoleDefinitionIds !== undefined) {
      throw rule(`${where}: delegatedRoleDefinitionIds is allowed only with the User Access Administrator role (${ROLE_IDS.userAccessAdministrator}).`, `${where}.delegatedRoleDefinitionIds`);
    }
    const delegated = (a.delegatedRoleDefinitionIds ?? []).map((id, j) => {
      const r = requireDelegableRole(id, `${where}.delegatedRoleDefinitionIds[${j}]`);
      if (r.id === ROLE_IDS.userAccessAdministrator) {
        throw rule(`${where}.delegatedRoleDefinitionIds[${j}]: User Access Administrator cannot itself be assignable through a delegation.`, `${where}.delegatedRoleDefinitionIds[${j}]`);
      }
      return r.id;
    });
    const out: Authorization = { principalId: principal, roleDefinitionId: role.id };
    if (a.principalIdDisplayName !== undefined) out.principalIdDisplayName = a.principalIdDisplayName;
    if (isUaa) out.delegatedRoleDefinitionIds = delegated;
    authorizations.push(out);
  }

  const eligibleAuthorizations: EligibleAuthorization[] = [];
  for (const [i, e] of (input.eligibleAuthorizations ?? []).entries()) {
    const where = `${at}.eligibleAuthorizations[${i}]`;
    const principal = await requireManagingPrincipal(db, managedByTenantId, e.principalId, where);
    const kind = await db.selectFrom('principals').select('kind').where('id', '=', principal).executeTakeFirstOrThrow();
    if (kind.kind === 'ServicePrincipal') {
      throw rule(`${where}: service principals cannot hold eligible (just-in-time) authorizations. Use a user or a group.`, `${where}.principalId`);
    }
    const role = requireDelegableRole(e.roleDefinitionId, where);
    if (role.id === ROLE_IDS.userAccessAdministrator) {
      throw rule(`${where}: User Access Administrator cannot be an eligible authorization.`, `${where}.roleDefinitionId`);
    }
    const policy = e.justInTimeAccessPolicy;
    const minutes = isoDurationMinutes(policy.maximumActivationDuration);
    if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES || minutes > MAX_ACTIVATION_MINUTES) {
      throw rule(`${where}.justInTimeAccessPolicy.maximumActivationDuration '${policy.maximumActivationDuration}' must be an ISO 8601 duration from PT30M to PT8H.`, `${where}.justInTimeAccessPolicy.maximumActivationDuration`);
    }
    const approvers = policy.managedByTenantApprovers ?? [];
    if (approvers.length > MAX_APPROVERS) {
      throw rule(`${where}.justInTimeAccessPolicy.managedByTenantApprovers lists ${approvers.length} approvers; at most ${MAX_APPROVERS} are allowed.`, `${where}.justInTimeAccessPolicy.managedByTenantApprovers`);
    }
    const checkedApprovers = [];
    for (const [j, ap] of approvers.entries()) {
      const id = await requireManagingPrincipal(db, managedByTenantId, ap.principalId, `${where}.justInTimeAccessPolicy.managedByTenantApprovers[${j}]`);
      checkedApprovers.push(ap.principalIdDisplayName === undefined ? { principalId: id } : { principalId: id, principalIdDisplayName: ap.principalIdDisplayName });
    }
    const out: EligibleAuthorization = {
      principalId: principal,
      roleDefinitionId: role.id,
      justInTimeAccessPolicy: {
        multiFactorAuthProvider: policy.multiFactorAuthProvider,
        maximumActivationDuration: policy.maximumActivationDuration,
        ...(checkedApprovers.length > 0 ? { managedByTenantApprovers: checkedApprovers } : {}),
      },
    };
    if (e.principalIdDisplayName !== undefined) out.principalIdDisplayName = e.principalIdDisplayName;
    eligibleAuthorizations.push(out);
  }
  return { authorizations, eligibleAuthorizations, managedByTenantId };
}

async function requireManagingPrincipal(db: Db, managedByTenantId: string, principalId: string, where: string): Promise<string> {
  if (!isGuid(principalId)) {
    throw rule(`${where}.principalId '${principalId}' is not an object id (GUID) of a user, group or service principal.`, `${where}.principalId`, 'PrincipalNotFound');
  }
  const p = await db.selectFrom('principals').select(['id', 'directory_id']).where('id', '=', principalId.toLowerCase()).executeTakeFirst();
  if (p === undefined || p.directory_id !== managedByTenantId) {
    throw rule(`${where}.principalId '${principalId}' is not a user, group or service principal of the managing directory '${managedByTenantId}'. Authorizations can name only principals of the managing directory; published samples carry the placeholder 00000000-0000-0000-0000-000000000000 here.`, `${where}.principalId`, 'PrincipalNotFound');
  }
  return p.id;
}

function requireDelegableRole(roleDefinitionId: string, where: string) {
  const role = findBuiltinRole(roleDefinitionId);
  if (role === undefined) {
    throw rule(`${where}: role definition '${roleDefinitionId}' is not a built-in role. Lighthouse delegates built-in roles only (custom roles cannot be delegated); GET /providers/Microsoft.Authorization/roleDefinitions lists them.`, `${where}.roleDefinitionId`, 'RoleDefinitionNotFound');
  }
  if (role.id === ROLE_IDS.owner) {
    throw rule(`${where}: the Owner role cannot be delegated through Azure Lighthouse. Choose a narrower role such as Contributor or Microsoft Sentinel Contributor.`, `${where}.roleDefinitionId`);
  }
  if (hasDataActions(role)) {
    throw rule(`${where}: '${role.roleName}' has DataActions and cannot be delegated through Azure Lighthouse.`, `${where}.roleDefinitionId`);
  }
  return role;
}

/** Minutes in an ISO 8601 duration made of days, hours, minutes (PT30M, PT8H, P1D...). */
export function isoDurationMinutes(value: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
}

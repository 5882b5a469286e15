// Small helpers the MSSP's sections of the Settings page share: role names, scopes, durations.
import { armList } from '../../api/arm-client.ts';
import type { DirectoryFilter } from '../../api/directory-filter.ts';
import type { RoleDefinition } from '../../api/settings.ts';
import { useLoad } from '../use-load.ts';

/** The built-in roles' names by GUID (a roleDefinitionId of any form ends with it). */
export function useRoleName(): (roleDefinitionId: string) => string {
  const [roles] = useLoad(() => armList<RoleDefinition>('/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01'), 'roles');
  return (id: string) => {
    const guid = id.split('/').pop()!.toLowerCase();
    return roles.status === 'ready' ? roles.value.find((r) => r.name.toLowerCase() === guid)?.properties.roleName ?? guid : guid;
  };
}

export const roleGuid = (id: string) => id.split('/').pop()!.toLowerCase();
export const sameScope = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** The scope of a delegation: its registration assignment's id up to /providers/Microsoft.ManagedServices. */
export const assignmentScope = (assignmentId: string) => assignmentId.split(/\/providers\/Microsoft\.ManagedServices\//i)[0]!;

/** A scope as people say it: the subscription's (and resource group's) name where known. */
export function scopeName(scope: string, filter: DirectoryFilter, known: ReadonlyMap<string, string> = new Map()): string {
  const named = known.get(scope.toLowerCase());
  if (named !== undefined) return named;
  const [, , sub, , rg] = scope.split('/');
  const subName = filter.available.subscriptions.find((s) => s.id.toLowerCase() === sub?.toLowerCase())?.displayName ?? sub ?? scope;
  return rg === undefined ? subName : `${rg} (${subName})`;
}

/** PT4H -> 4 hours, PT30M -> 30 minutes, PT1H30M -> 1 hour 30 minutes. */
export function durationText(iso: string | undefined): string {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/i.exec(iso ?? '');
  if (m === null || (m[1] === undefined && m[2] === undefined)) return iso ?? '';
  const parts = [];
  if (m[1] !== undefined) parts.push(`${Number(m[1])} hour${Number(m[1]) === 1 ? '' : 's'}`);
  if (m[2] !== undefined) parts.push(`${Number(m[2])} minute${Number(m[2]) === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** Hours typed by the user as an ISO 8601 duration (whole hours as PTnH, otherwise minutes), or undefined when not a number above 0. */
export function hoursToDuration(text: string): string | undefined {
  const hours = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(hours) || hours <= 0) return undefined;
  return Number.isInteger(hours) ? `PT${hours}H` : `PT${Math.round(hours * 60)}M`;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '');

// The Directory + subscription filter (GET/PUT /providers/Vigil.Portal/directoryFilter):
// what the user can reach, and what they chose to work on.
import { armRequest } from './arm-client.ts';

const PATH = '/providers/Vigil.Portal/directoryFilter?api-version=2025-01-01';

export interface AvailableDirectory { id: string; displayName: string; defaultDomain: string; delegated: boolean }
export interface AvailableSubscription { id: string; displayName: string; directoryId: string; delegated: boolean }

export interface DirectoryFilter {
  directories: string[];
  subscriptions: string[];
  available: { directories: AvailableDirectory[]; subscriptions: AvailableSubscription[] };
  /** Whether the user saved a choice (otherwise everything reachable is selected). */
  saved: boolean;
}

export const getDirectoryFilter = () => armRequest<DirectoryFilter>('GET', PATH);

export const saveDirectoryFilter = (directories: string[], subscriptions: string[]) =>
  armRequest<DirectoryFilter>('PUT', PATH, { directories, subscriptions });

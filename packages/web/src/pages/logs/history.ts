// The queries a user ran, newest first, kept in this browser (localStorage) per user: the
// Logs page's history. The same query run again moves to the top instead of repeating.
export interface HistoryEntry { query: string; workspace: string; timeRange: string; ranAt: string }

const MAX_ENTRIES = 50;
const keyOf = (user: string) => `vigil.logs.history.${user.toLowerCase()}`;

export function readHistory(user: string): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyOf(user)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is HistoryEntry => typeof e?.query === 'string') : [];
  } catch {
    return [];
  }
}

export function addToHistory(user: string, entry: HistoryEntry): HistoryEntry[] {
  const entries = [entry, ...readHistory(user).filter((e) => e.query !== entry.query || e.workspace !== entry.workspace)].slice(0, MAX_ENTRIES);
  try {
    localStorage.setItem(keyOf(user), JSON.stringify(entries));
  } catch {
    // Storage full or disabled: the history lasts for the page only.
  }
  return entries;
}

export function clearHistory(user: string): void {
  localStorage.removeItem(keyOf(user));
}

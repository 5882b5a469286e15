// How the pages show times and a refusal's details.

/** A time as the user's locale writes it (date and minutes); the text itself when it is no time. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The server's field-level detail lines of a refusal (every bad line of a watchlist file, say). */
export function errorDetails(error: unknown): { message: string; target?: string }[] {
  const details = (error as { details?: { message: string; target?: string }[] } | undefined)?.details;
  return Array.isArray(details) ? details : [];
}

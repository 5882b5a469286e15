// Calls of the ARM-shaped API with the active session's token. Every failure becomes an
// ApiError carrying the server's own code and message, which the pages show as they are.
import { activeSession } from '../auth/session.ts';

const TIMEOUT_MS = 30_000;

export interface ApiErrorDetail { code?: string; message: string; target?: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly target?: string, readonly details: readonly ApiErrorDetail[] = []) {
    super(message);
  }
}

/** A write refused because the resource changed since it was read (412: its etag no longer matches). */
export const isConflict = (error: unknown): boolean => error instanceof ApiError && error.status === 412;

/** The session ended (token expired or refused): the portal signs in again. */
export class SessionExpiredError extends ApiError {}

type Listener = () => void;
const expiredListeners = new Set<Listener>();
/** Called when a request finds the session expired, so that the shell can sign in again. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

function expired(message: string): SessionExpiredError {
  for (const l of expiredListeners) l();
  return new SessionExpiredError(401, 'ExpiredAuthenticationToken', message);
}

/** For calls that fetch the API themselves (the query API, with its own time limit and cancel): the session ended. */
export function sessionExpired(message: string): SessionExpiredError {
  return expired(message);
}

export async function armRequest<T>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const session = activeSession();
  if (session === undefined) throw expired('Your sign-in has ended. Sign in again to continue.');
  const url = new URL(path, location.origin);
  // nextLinks are absolute; never send the token to another origin.
  if (url.origin !== location.origin) throw new ApiError(0, 'UnexpectedOrigin', `The API pointed to ${url.origin}, which is not this portal's server; the request was not sent.`);
  const headers: Record<string, string> = { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new ApiError(0, 'Timeout', `The server did not answer ${method} ${url.pathname} within ${TIMEOUT_MS / 1000} seconds. Try again.`);
    }
    throw new ApiError(0, 'NetworkError', `The server could not be reached (${(error as Error).message}). Check your connection and try again.`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; target?: string; details?: ApiErrorDetail[] } } | undefined)?.error;
    const code = error?.code ?? `HTTP${response.status}`;
    const message = error?.message ?? `${method} ${url.pathname} failed with HTTP ${response.status} ${response.statusText}.`;
    if (response.status === 401) throw expired(message);
    throw new ApiError(response.status, code, message, error?.target, Array.isArray(error?.details) ? error.details : []);
  }
  return parsed as T;
}

/** Every item of an ARM list, following nextLink (bounded, so a server loop cannot hang the page). */
export async function armList<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  for (let pages = 0; next !== undefined && next !== null; pages++) {
    if (pages === 1000) throw new ApiError(0, 'TooManyPages', `${path} returned more than 1000 pages; stopped reading.`);
    const page: { value?: T[]; nextLink?: string } = await armRequest('GET', next);
    items.push(...(page.value ?? []));
    next = page.nextLink ?? undefined;
  }
  return items;
}

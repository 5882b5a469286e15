// The signed-in sessions of this browser tab: one per directory signed in to (the home
// directory, and any directory signed in to directly), each with its access token. Kept in
// sessionStorage: gone when the tab closes, never shared with other tabs. There are no refresh
// tokens: when a token expires the user signs in again (the server's login page).
import { codeChallenge, randomToken } from './pkce.ts';

/** The portal's application id. The server accepts any GUID for public clients. */
export const PORTAL_CLIENT_ID = '6f1e3d52-7c1b-4a8e-9d0a-5b2c8e4f7a10';
const SCOPE = 'https://management.azure.com/.default openid profile';
export const CALLBACK_PATH = '/signin';

export interface Session {
  tenantId: string;
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The directory's display name, as its /tenants entry gives it. */
  directoryName: string;
  user: { id: string; name: string; userName: string };
}

interface PendingSignIn {
  tenant: string;
  verifier: string;
  returnTo: string;
  loginHint?: string;
}

const SESSIONS = 'vigil.sessions';
const ACTIVE = 'vigil.activeTenant';
const PENDING = 'vigil.pendingSignIn.';
/** The last sign-in name, so that the next visit goes straight to the right directory. */
const LAST_SIGN_IN = 'vigil.lastSignIn';

function readSessions(): Record<string, Session> {
  try {
    return JSON.parse(sessionStorage.getItem(SESSIONS) ?? '{}') as Record<string, Session>;
  } catch {
    return {};
  }
}

export function allSessions(): Session[] {
  return Object.values(readSessions());
}

/** The session the portal works in, if it is still valid. */
export function activeSession(now = Date.now()): Session | undefined {
  const tenant = sessionStorage.getItem(ACTIVE);
  const session = tenant === null ? undefined : readSessions()[tenant];
  return session !== undefined && session.expiresAt > now ? session : undefined;
}

/** The session of the last sign-in, valid or not (who to sign in again as). */
export function lastSession(): Session | undefined {
  const tenant = sessionStorage.getItem(ACTIVE);
  return tenant === null ? undefined : readSessions()[tenant];
}

export function switchTo(tenantId: string): void {
  sessionStorage.setItem(ACTIVE, tenantId);
}

export function lastSignInName(): string | undefined {
  return localStorage.getItem(LAST_SIGN_IN) ?? undefined;
}

/**
 * The directory a sign-in name belongs to: the domain of an email address (home realm
 * discovery), or the name itself when it is a directory's domain or id.
 */
export function tenantOf(signInName: string): string {
  const at = signInName.lastIndexOf('@');
  return (at >= 0 ? signInName.slice(at + 1) : signInName).trim().toLowerCase();
}

/** Leaves for the server's login page of `tenant`; comes back to `returnTo`. */
export async function startSignIn(tenant: string, options: { loginHint?: string; returnTo?: string } = {}): Promise<never> {
  const state = randomToken(16);
  const verifier = randomToken(32);
  const pending: PendingSignIn = { tenant, verifier, returnTo: options.returnTo ?? '/' };
  if (options.loginHint !== undefined) {
    pending.loginHint = options.loginHint;
    localStorage.setItem(LAST_SIGN_IN, options.loginHint);
  }
  sessionStorage.setItem(PENDING + state, JSON.stringify(pending));
  const url = new URL(`/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`, location.origin);
  const params = {
    client_id: PORTAL_CLIENT_ID,
    response_type: 'code',
    redirect_uri: location.origin + CALLBACK_PATH,
    scope: SCOPE,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
  location.assign(url.toString());
  // The page is leaving; nothing after this runs.
  return new Promise<never>(() => {});
}

export class SignInError extends Error {}

/** Finishes a sign-in at the callback: redeems the code for tokens. Returns where to go. */
export async function completeSignIn(url: URL): Promise<string> {
  const q = url.searchParams;
  const state = q.get('state') ?? '';
  const pendingText = sessionStorage.getItem(PENDING + state);
  sessionStorage.removeItem(PENDING + state);
  const error = q.get('error');
  if (error !== null) throw new SignInError(`${q.get('error_description') ?? error}`);
  const code = q.get('code');
  if (code === null || pendingText === null) {
    throw new SignInError('This sign-in was not started from this browser tab, or it was already used. Sign in again.');
  }
  const pending = JSON.parse(pendingText) as PendingSignIn;
  const response = await fetch(`/${encodeURIComponent(pending.tenant)}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: PORTAL_CLIENT_ID,
      code,
      redirect_uri: location.origin + CALLBACK_PATH,
      code_verifier: pending.verifier,
      scope: SCOPE,
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; id_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || body.access_token === undefined || body.id_token === undefined) {
    throw new SignInError(body.error_description ?? `The token request failed (HTTP ${response.status}).`);
  }
  const claims = jwtPayload(body.id_token);
  const tenantId = String(claims.tid);
  const session: Session = {
    tenantId,
    directoryName: await directoryNameOf(tenantId, body.access_token),
    accessToken: body.access_token,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
    user: { id: String(claims.oid), name: String(claims.name ?? claims.preferred_username), userName: String(claims.preferred_username) },
  };
  const sessions = readSessions();
  sessions[session.tenantId] = session;
  sessionStorage.setItem(SESSIONS, JSON.stringify(sessions));
  sessionStorage.setItem(ACTIVE, session.tenantId);
  return pending.returnTo;
}

/** The display name of the directory signed in to (GET /tenants); its id if that fails, which only costs the name. */
async function directoryNameOf(tenantId: string, accessToken: string): Promise<string> {
  try {
    const response = await fetch('/tenants?api-version=2022-12-01', { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { value?: { tenantId: string; displayName?: string }[] };
    return body.value?.find((t) => t.tenantId.toLowerCase() === tenantId.toLowerCase())?.displayName ?? tenantId;
  } catch {
    return tenantId;
  }
}

/** Forgets every session of this tab. */
export function signOut(): void {
  sessionStorage.removeItem(SESSIONS);
  sessionStorage.removeItem(ACTIVE);
}

/** The claims of a token the token endpoint just handed us over TLS (not verified here: the API verifies). */
function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(decodeURIComponent(Array.from(json, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''))) as Record<string, unknown>;
}

// A small HTTPS client for the Vigil API as the CLI uses it: a password-grant sign-in, then calls
// with the bearer token; and the chunked upload of `vigil import`.
import { ConfigError } from '../../server/src/config.ts';

export const IMPORT_API = '2025-01-01';
export const ARM_API = '2022-10-01';
/** Rows per upload call, and bytes per call at most (the server takes 32 MB). */
const CHUNK_ROWS = 5000;
const CHUNK_BYTES = 16 * 1024 * 1024;

/** Signed in to the Vigil API: the bearer token, and calls made with it. */
export interface Api {
  /** The server, without a trailing slash. */
  base: string;
  /** The `authorization` header value: `Bearer <token>`. */
  authorization: string;
  call(method: string, path: string, body?: unknown, rawBody?: string): Promise<{ status: number; body: unknown }>;
}

/** Signs in with the password grant. An unreachable server or a refused sign-in is a ConfigError (exit 2). */
export async function signIn(url: string, tenant: string, username: string, password: string): Promise<Api> {
  const base = url.replace(/\/$/, '');
  let tokenRes: Response;
  try {
    tokenRes = await fetch(`${base}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username, password, scope: `${base}/.default` }),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new ConfigError(`Cannot reach the Vigil server at ${base}${cause}. Check --url.`);
  }
  const token = (await tokenRes.json().catch(() => ({}))) as { access_token?: string; error_description?: string };
  if (token.access_token === undefined) throw new ConfigError(`Sign-in failed: ${token.error_description ?? tokenRes.status}`);
  const authorization = `Bearer ${token.access_token}`;
  return {
    base,
    authorization,
    async call(method, path, body, rawBody) {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(payload === undefined ? {} : { body: payload }),
        });
        const text = await res.text();
        // Busy (429) or briefly unable to commit (503): wait as told and send the same call again.
        if ((res.status === 429 || res.status === 503) && attempt < 5) {
          const wait = Number(res.headers.get('retry-after') ?? '1');
          await new Promise((r) => setTimeout(r, Math.min(30, Number.isFinite(wait) ? wait : 1) * 1000));
          continue;
        }
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch { /* not JSON */ }
        return { status: res.status, body: parsed };
      }
    },
  };
}

export function errorCode(body: unknown): string {
  return (body as { error?: { code?: string } } | undefined)?.error?.code ?? 'Error';
}

export function errorMessage(body: unknown): string {
  return (body as { error?: { message?: string } } | undefined)?.error?.message ?? (typeof body === 'string' && body !== '' ? body : 'no message');
}

/** Sends rows in chunks; stops at the first refused chunk (each chunk is all or nothing). */
export async function upload(
  api: Api,
  workspacePath: string,
  table: string,
  rows: unknown[],
  rowNumbers: number[],
  file: string,
  advance: (n: number) => void,
): Promise<{ loaded: number; refused?: string }> {
  const path = `${workspacePath}/tables/${encodeURIComponent(table)}/import?api-version=${IMPORT_API}`;
  let loaded = 0;
  let i = 0;
  while (i < rows.length) {
    const parts: string[] = [];
    let bytes = 2;
    const start = i;
    while (i < rows.length && parts.length < CHUNK_ROWS) {
      const json = JSON.stringify(rows[i]);
      if (parts.length > 0 && bytes + json.length + 1 > CHUNK_BYTES) break;
      parts.push(json);
      bytes += json.length + 1;
      i++;
    }
    const res = await api.call('POST', path, undefined, `[${parts.join(',')}]`);
    if (res.status !== 200) {
      let message = `${res.status} ${errorCode(res.body)}: ${errorMessage(res.body)}`;
      const target = (res.body as { error?: { target?: string } } | undefined)?.error?.target;
      const at = target === undefined ? null : /^\[(\d+)\]/.exec(target);
      if (at !== null) message += ` (row ${rowNumbers[start + Number(at[1])]} of ${file})`;
      return { loaded, refused: message };
    }
    loaded += parts.length;
    advance(parts.length);
  }
  return { loaded };
}

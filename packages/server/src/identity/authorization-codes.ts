// Authorization codes of the interactive sign-in (OAuth 2.0 authorization code flow with PKCE,
// as Entra ID runs it for single-page apps). Codes live in memory for five minutes and are
// good for one exchange: a restart only makes a user sign in again.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PendingCode {
  principalId: string;
  directoryId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  expiresAt: number;
}

const LIFETIME_MS = 5 * 60_000;

export class AuthorizationCodes {
  private readonly codes = new Map<string, PendingCode>();

  issue(pending: Omit<PendingCode, 'expiresAt'>, now: Date): string {
    this.sweep(now);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...pending, expiresAt: now.getTime() + LIFETIME_MS });
    return code;
  }

  /** Takes the code out (one use only) when it is valid for this client, redirect URI and verifier. */
  redeem(code: string, clientId: string, redirectUri: string, codeVerifier: string, now: Date): PendingCode | string {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (pending === undefined || pending.expiresAt < now.getTime()) return 'AADSTS70008: The provided authorization code has expired or was already used. Sign in again.';
    if (pending.clientId !== clientId.toLowerCase()) return 'AADSTS70000: The authorization code was issued to another client_id.';
    if (pending.redirectUri !== redirectUri) return "AADSTS70000: redirect_uri does not match the one the code was issued for.";
    const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const a = Buffer.from(challenge);
    const b = Buffer.from(pending.codeChallenge);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'AADSTS501481: The code_verifier does not match the code_challenge supplied in the authorization request.';
    return pending;
  }

  private sweep(now: Date): void {
    for (const [code, p] of this.codes) if (p.expiresAt < now.getTime()) this.codes.delete(code);
  }
}

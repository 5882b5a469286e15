// One RS256 key pair per directory, created with the directory's first token and kept in the
// database; each directory publishes its own JWKS, as each Entra ID tenant does.
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Db } from '../db/database.ts';

export interface SigningKey {
  kid: string;
  directoryId: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export class SigningKeys {
  private readonly cache = new Map<string, Promise<SigningKey[]>>();

  constructor(private readonly db: Db) {}

  /** The directory's keys, creating the first one if it has none. */
  async forDirectory(directoryId: string): Promise<SigningKey[]> {
    let pending = this.cache.get(directoryId);
    if (pending === undefined) {
      pending = this.load(directoryId);
      this.cache.set(directoryId, pending);
      pending.catch(() => this.cache.delete(directoryId));
    }
    return pending;
  }

  async current(directoryId: string): Promise<SigningKey> {
    const keys = await this.forDirectory(directoryId);
    const key = keys[keys.length - 1];
    if (key === undefined) throw new Error(`directory ${directoryId} has no signing key`);
    return key;
  }

  private async load(directoryId: string): Promise<SigningKey[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('directory_id', '=', directoryId)
      .orderBy('created_at')
      .execute();
    if (rows.length > 0) {
      return Promise.all(rows.map(async (row) => {
        const publicJwk = JSON.parse(row.public_jwk) as JWK;
        return {
          kid: row.kid,
          directoryId,
          privateKey: (await importJWK(JSON.parse(row.private_jwk) as JWK, 'RS256')) as CryptoKey,
          publicKey: (await importJWK(publicJwk, 'RS256')) as CryptoKey,
          publicJwk,
        };
      }));
    }
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
    await this.db
      .insertInto('signing_keys')
      .values({
        kid,
        directory_id: directoryId,
        private_jwk: JSON.stringify(privateJwk),
        public_jwk: JSON.stringify(publicJwk),
        created_at: new Date().toISOString(),
      })
      .execute();
    return [{ kid, directoryId, privateKey, publicKey, publicJwk }];
  }
}

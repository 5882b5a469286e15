// Subscriptions: each belongs to one directory, which owns everything under it.
import { randomUUID } from 'node:crypto';
import { inTransaction, type Db } from '../db/database.ts';
import type { SubscriptionTable } from '../db/schema.ts';
import { PROVIDER_NAMESPACES } from './providers.ts';

export type Subscription = SubscriptionTable;

export async function createSubscription(db: Db, input: { id?: string; directoryId: string; displayName: string }): Promise<Subscription> {
  const now = new Date().toISOString();
  const row: Subscription = {
    id: (input.id ?? randomUUID()).toLowerCase(),
    directory_id: input.directoryId.toLowerCase(),
    display_name: input.displayName,
    state: 'Enabled',
    created_at: now,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto('subscriptions').values(row).execute();
    // A new subscription knows every namespace, none registered, as in Azure.
    await trx.insertInto('provider_registrations')
      .values(PROVIDER_NAMESPACES.map((namespace) => ({ subscription_id: row.id, namespace, state: 'NotRegistered' as const, updated_at: now })))
      .execute();
  });
  return row;
}


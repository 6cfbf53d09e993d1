/**
 * The native accounts context's stored items read outside the login: the account
 * (`nativeKeys.account`) and the account waiting for a second officer (`identityKeys.officePending`).
 * The code card, which the login triggers read, has its own hand-written reader (`code-card.ts`).
 */
import * as z from 'zod/mini';
import type { NativeAccount, PendingAccount } from '../../native/account.ts';
import { identityKeys, nativeKeys } from '../keys.ts';
import { optionalText, readItem } from './read.ts';

/** The domain fields of a native account item. */
export const nativeAccountSchema = z.object({
  username: z.string(),
  email: z._default(z.string(), ''),
  locale: z._default(z.string(), 'en'),
  holder: z._default(z.string(), ''),
  createdBy: z._default(z.string(), ''),
  createdAt: z._default(z.string(), ''),
  confirmedBy: optionalText(),
});

/**
 * The account of a stored item (the person id is the item's key).
 * @throws StoredItemError for an item that does not match.
 */
export function readNativeAccount(personId: string, item: Record<string, unknown>): NativeAccount {
  return { personId, ...readItem('nativeAccount', nativeAccountSchema, item) };
}

/** The item of a new account, keys included. */
export function nativeAccountItem(account: NativeAccount): Record<string, unknown> {
  return { ...nativeKeys.account(account.personId), type: 'nativeAccount', ...account };
}

/** Statuses of an account waiting for a second officer. */
export const PENDING_ACCOUNT_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;

/** The domain fields of a pending account item. */
export const pendingAccountSchema = z.object({
  pendingId: z.string(),
  status: z.enum(PENDING_ACCOUNT_STATUSES),
  personId: z.string(),
  insz: z.string(),
  email: z.string(),
  locale: z._default(z.string(), 'en'),
  holder: z._default(z.string(), ''),
  requestedBy: z.string(),
  createdAt: z.string(),
  confirmedBy: optionalText(),
  confirmedAt: optionalText(),
});

/** The pending account of a stored item. @throws StoredItemError for an item that does not match. */
export const readPendingAccount = (item: Record<string, unknown>): PendingAccount =>
  readItem('officePending', pendingAccountSchema, item);

/** The item of a newly requested account, keys included. */
export function pendingAccountItem(pending: PendingAccount): Record<string, unknown> {
  return {
    ...identityKeys.officePending(pending.pendingId),
    ...identityKeys.officePendingQueue(pending.status, pending.createdAt, pending.pendingId),
    type: 'officePending',
    ...pending,
  };
}

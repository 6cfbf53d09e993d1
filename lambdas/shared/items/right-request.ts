/**
 * The rights context's stored items besides the grant (`../grant-item.ts`): the right request
 * (`rightsKeys.request`) and the queued notice about a grant's expiry (`rightsKeys.grantNotice`). One
 * schema for the writer and the readers of each.
 */
import * as z from 'zod/mini';
import type { GrantNotice } from '../../rights/grant-notice.ts';
import { RIGHT_DECISIONS, RIGHT_REQUEST_STATUSES, type RightRequest } from '../../rights/right-request.ts';
import { rightsKeys } from '../keys.ts';
import { isWaiting, optionalText, readItem, storedLocale } from './read.ts';

/** The domain fields of a right request item (its task token and keys aside). */
export const rightRequestSchema = z.object({
  requestId: z.string(),
  personId: z.string(),
  orgCode: z.string(),
  application: z.string(),
  role: z.string(),
  justification: optionalText(),
  // Copied from the requester's profile at submission, which may lack a name.
  requester: z._default(
    z.object({ givenNames: z._default(z.string(), ''), familyName: z._default(z.string(), '') }),
    { givenNames: '', familyName: '' },
  ),
  status: z.enum(RIGHT_REQUEST_STATUSES),
  locale: storedLocale(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decision: z.optional(
    z.looseObject({
      decisionId: z.string(),
      decision: z.enum(RIGHT_DECISIONS),
      reason: z.optional(z.string()),
      validUntil: z.optional(z.string()),
      decidedBy: z.string(),
      decidedAt: z.string(),
    }),
  ),
  decidedBy: optionalText(),
  decidedAt: optionalText(),
  reason: optionalText(),
  grantId: optionalText(),
  validUntil: optionalText(),
});

/**
 * The request of a stored item, `waiting` while a task token is stored.
 * @throws StoredItemError for an item that does not match.
 */
export function readRightRequest(item: Record<string, unknown>): RightRequest {
  return { ...readItem('rightRequest', rightRequestSchema, item), waiting: isWaiting(item) };
}

/** The item of a request, keys included (`waiting` is derived, never stored). */
export function rightRequestItem(request: RightRequest): Record<string, unknown> {
  const { waiting: _waiting, ...stored } = request;
  return {
    ...rightsKeys.request(request.requestId),
    ...rightsKeys.inbox(request.orgCode, request.status, request.createdAt, request.requestId),
    ...rightsKeys.owner(request.personId, request.createdAt, request.requestId),
    type: 'rightRequest',
    ...stored,
  };
}

/** The domain fields of a grant notice item. */
export const grantNoticeSchema = z.object({
  grantId: z.string(),
  kind: z.pipe(
    z.optional(z.string()),
    z.transform((kind): GrantNotice['kind'] => (kind === 'expired' ? 'expired' : 'expiring')),
  ),
  personId: z.string(),
  orgCode: z.string(),
  application: z.string(),
  role: z.string(),
  validUntil: z.string(),
  createdAt: z.string(),
  // Counted by the sender on a failed send; a notice never sent has none.
  attempts: z._default(z.number(), 0),
});

/** The notice of a stored item. @throws StoredItemError for an item that does not match. */
export const readGrantNotice = (item: Record<string, unknown>): GrantNotice =>
  readItem('grantNotice', grantNoticeSchema, item);

/** The item of a newly queued notice, keys included (`attempts` is only ever counted up in place). */
export function grantNoticeItem(notice: GrantNotice): Record<string, unknown> {
  const { attempts: _attempts, ...stored } = notice;
  return {
    ...rightsKeys.grantNotice(notice.grantId, notice.kind),
    ...rightsKeys.pendingGrantNotice(notice.grantId, notice.kind, notice.createdAt),
    type: 'grantNotice',
    ...stored,
  };
}

import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { gsi1List, type Page, type PageQuery } from '#shared/http/pagination';
import { bisKeys } from '#shared/keys';
import type { BisApiDeps } from './ports.ts';
import {
  type BisStatus,
  canSee,
  type QueueItemView,
  type RegistrationView,
  toQueueItemView,
  toRegistrationView,
} from './registration.ts';

/**
 * A registration with its history, for its owner and for BIS agents.
 * @throws NotFoundError unknown, or not visible to the caller (never reveals that it exists)
 */
export async function getRegistration(
  deps: Pick<BisApiDeps, 'repository'>,
  caller: Caller,
  registrationId: string,
): Promise<RegistrationView> {
  const registration = await deps.repository.getRegistration(registrationId);
  if (!registration || !canSee(caller, registration)) {
    throw new NotFoundError('There is no such BIS number request.');
  }
  const history = await deps.repository.getHistory(registrationId);
  return toRegistrationView(registration, history, caller);
}

/** Query of the agents' review queue. */
export type ListRegistrationsQuery = PageQuery & { status: BisStatus };

/**
 * The review queue of one status, oldest request first, a page at a time. The cursor is bound to
 * the status it was issued for.
 * @throws ValidationError for a cursor of another list
 */
export async function listRegistrations(
  deps: Pick<BisApiDeps, 'repository'>,
  query: ListRegistrationsQuery,
): Promise<Page<QueueItemView>> {
  const list = gsi1List(bisKeys.queuePartition(query.status));
  const page = await deps.repository.listByStatus(query.status, query.limit, list.startKey(query.cursor));
  return list.page(page.items.map(toQueueItemView), page.lastEvaluatedKey);
}

/** Use case: the registration office's list of accounts waiting for (or given) a second officer. */
import { gsi1List, type Page, type PageQuery } from '#shared/http/pagination';
import { identityKeys } from '#shared/keys';
import { type PendingAccountView, toPendingView } from './create-account.ts';
import type { PendingStatus } from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

/** Query of the list. */
export type ListPendingQuery = PageQuery & { status: Exclude<PendingStatus, 'CANCELLED'> };

/**
 * One page, oldest first. The cursor is bound to the status it was issued for (GSI1 keys hold a
 * status, an ISO time and ULIDs only).
 * @throws ValidationError for a cursor of another list
 */
export async function listPendingAccounts(
  deps: Pick<NativeDeps, 'accounts'>,
  query: ListPendingQuery,
): Promise<Page<PendingAccountView>> {
  const list = gsi1List(identityKeys.officePendingQueuePartition(query.status));
  const page = await deps.accounts.listPending(query.status, query.limit, list.startKey(query.cursor));
  return list.page(page.items.map(toPendingView), page.lastEvaluatedKey);
}

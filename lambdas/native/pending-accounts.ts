/** Use case: the registration office's list of accounts waiting for (or given) a second officer. */
import { decodeCursor, type Page, toPage } from '#shared/http/pagination';
import { identityKeys } from '#shared/keys';
import { type PendingAccountView, toPendingView } from './create-account.ts';
import type { PendingStatus } from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

/** Query of the list. */
export interface ListPendingQuery {
  status: Exclude<PendingStatus, 'CANCELLED'>;
  limit: number;
  cursor?: string | undefined;
}

/**
 * One page, oldest first. The cursor is bound to the status it was issued for (GSI1 keys hold a
 * status, an ISO time and ULIDs only).
 * @throws ValidationError for a cursor of another list
 */
export async function listPendingAccounts(
  deps: Pick<NativeDeps, 'accounts'>,
  query: ListPendingQuery,
): Promise<Page<PendingAccountView>> {
  const partition = identityKeys.officePendingQueuePartition(query.status);
  const scope = `GSI1#${partition}`;
  const startKey = decodeCursor(query.cursor, scope, { bind: { GSI1PK: partition } });
  const page = await deps.accounts.listPending(query.status, query.limit, startKey);
  return toPage(page.items.map(toPendingView), page.lastEvaluatedKey, scope);
}

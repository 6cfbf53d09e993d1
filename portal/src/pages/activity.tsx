/**
 * `GET /me/activity`: everything that happened to the person's identity, newest first, a page at a
 * time. Event names, actors and evidence are translated; entries never carry a national number.
 */
import { useState } from 'preact/hooks';
import { describeProblem, type ProblemMessage } from '../api/problem.ts';
import {
  ErrorSummary,
  Link,
  Loading,
  PageHeading,
  useFormatDate,
  useLoad,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { type ActivityEntryView, identityApi } from '../identity/api.ts';
import { evidenceText, providerName, useIdentityText } from '../identity/components.tsx';
import { vocabularyKey } from '../identity/messages.ts';
import { reasonText } from '../reasons.ts';
import { pathFor } from '../router.ts';

export const ActivityPage = withLogin(Activity);

function Activity() {
  const { t, api } = usePortal();
  const it = useIdentityText();
  const formatDate = useFormatDate();
  const first = useLoad(() => identityApi(api).activity(), []);
  const [more, setMore] = useState<{ items: ActivityEntryView[]; nextCursor?: string | undefined }>({
    items: [],
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const items = [...(first.data?.items ?? []), ...more.items];
  const cursor = more.items.length > 0 ? more.nextCursor : first.data?.nextCursor;
  const loadMore = async () => {
    if (!cursor || busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const page = await identityApi(api).activity(cursor);
      setMore((previous) => ({ items: [...previous.items, ...page.items], nextCursor: page.nextCursor }));
    } catch (error) {
      setProblem(describeProblem(error, t));
    } finally {
      setBusy(false);
    }
  };
  const eventText = (entry: ActivityEntryView) => {
    const key = vocabularyKey('activity.event.', entry.event, 'activity.event.unknown');
    return it(key, { event: entry.event });
  };
  const details = (entry: ActivityEntryView) =>
    [
      entry.provider ? providerName(it, entry.provider) : undefined,
      entry.evidence ? evidenceText(it, entry.evidence) : undefined,
      entry.reason ? reasonText(t, entry.reason) : undefined,
      entry.reference ? it('activity.reference', { reference: entry.reference }) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={it('activity.heading')}>{it('activity.heading')}</PageHeading>
      <p>{it('activity.intro')}</p>
      {first.loading && !first.data ? <Loading /> : null}
      <ErrorSummary problem={first.problem ?? problem} />
      {first.data && items.length === 0 ? <p>{it('activity.empty')}</p> : null}
      {items.length > 0 ? (
        <div class="fitted-table">
          <table class="activity" data-testid="activity">
            <caption class="visually-hidden">{it('activity.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{it('activity.at')}</th>
                <th scope="col">{it('activity.what')}</th>
                <th scope="col">{it('activity.who')}</th>
                <th scope="col">{it('activity.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.entryId} data-event={entry.event}>
                  <td>
                    <time dateTime={entry.at}>{formatDate(entry.at)}</time>
                  </td>
                  <td>{eventText(entry)}</td>
                  <td>{it(vocabularyKey('activity.actor.', entry.actor, 'activity.actor.system'))}</td>
                  <td>{details(entry) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <p>
          <button type="button" class="button" disabled={busy} onClick={() => void loadMore()}>
            {t('common.loadMore')}
          </button>
        </p>
      ) : null}
      <p>
        <Link href={pathFor('profile')}>{t('common.back')}</Link>
      </p>
    </section>
  );
}

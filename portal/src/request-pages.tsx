/**
 * Pieces shared by the pages where a person makes a request of their own and follows it (BIS
 * number, foreign company, company claim, right request): the list of earlier requests, the top of
 * a status page, the status fact, the outcome notice and the "you need an INSZ first" notice.
 */
import type { ComponentChildren } from 'preact';
import type { ProblemMessage } from './api/problem.ts';
import { ErrorSummary, Link, Loading, PageHeading, StatusMessage } from './components.tsx';
import { usePortal } from './context.ts';
import { pathFor } from './router.ts';

/**
 * The person's earlier requests (from this tab) as links to their status pages, followed by the
 * heading of the new-request form; nothing when there are none.
 */
export function PreviousRequests<T extends { registrationId: string }>({
  items,
  heading,
  newHeading,
  href,
  label,
}: {
  items: readonly T[];
  heading: string;
  newHeading: string;
  href: (item: T) => string;
  label: (item: T) => string;
}) {
  if (items.length === 0) return null;
  return (
    <>
      <h2>{heading}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.registrationId}>
            <Link href={href(item)}>{label(item)}</Link>
          </li>
        ))}
      </ul>
      <h2>{newHeading}</h2>
    </>
  );
}

/**
 * The top of a request's status page: the heading, the live notice, the loading text until the
 * first answer, and the problem of a failed load.
 */
export function StatusPageTop({
  title,
  notice,
  loading,
  problem,
}: {
  title: string;
  notice: string | undefined;
  /** Whether the loading text shows (only until the first answer is there). */
  loading: boolean;
  problem: ProblemMessage | undefined;
}) {
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <StatusMessage message={notice} />
      {loading ? <Loading /> : null}
      {problem ? <ErrorSummary problem={problem} /> : null}
    </>
  );
}

/** The status entry of a status page's facts: the status as a badge coloured by the API's status. */
export function StatusFact({ status, label, testId }: { status: string; label: string; testId: string }) {
  const { t } = usePortal();
  return (
    <>
      <dt>{t('common.status')}</dt>
      <dd>
        <span class={`badge status-${status.toLowerCase()}`} data-testid={testId}>
          {label}
        </span>
      </dd>
    </>
  );
}

/**
 * While the person's data loads: the loading text and the load's problem; once it is there and the
 * person has no INSZ, why the form is missing, with a link to the INSZ page.
 */
export function InszRequired({
  loading,
  problem,
  missingInsz,
  message,
}: {
  loading: boolean;
  problem: ProblemMessage | undefined;
  missingInsz: boolean;
  message: string;
}) {
  const { t } = usePortal();
  return (
    <>
      {loading ? <Loading /> : null}
      <ErrorSummary problem={problem} />
      {missingInsz ? (
        <p>
          {message} <Link href={pathFor('insz')}>{t('nav.insz')}</Link>
        </p>
      ) : null}
    </>
  );
}

/**
 * The outcome of a page's one-off request: a live status message announcing it and, when given, a
 * paragraph with the next step (a link).
 */
export function RequestOutcome({
  message,
  children,
}: {
  message: string | undefined;
  children?: ComponentChildren;
}) {
  return (
    <>
      <StatusMessage message={message} />
      {children ? <p>{children}</p> : null}
    </>
  );
}

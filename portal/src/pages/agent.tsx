/**
 * The BIS agents' queue (`GET /agent/bis-registrations?status=`) and the review page with the
 * decision form (`POST /agent/bis-registrations/{id}/decision`).
 */
import { useState } from 'preact/hooks';
import type { BisRegistration, Page } from '../api/client.ts';
import {
  ErrorSummary,
  Field,
  formValues,
  Link,
  Loading,
  PageHeading,
  StatusMessage,
  Table,
  useCountryOptions,
  useFormatDate,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { type ScriptMixFlag, ScriptMixingFlags } from '../lookalike.tsx';
import { reasonText } from '../reasons.ts';
import { pathFor } from '../router.ts';
import { bisStatusLabel } from './bis.tsx';

const BIS_STATUSES = ['PENDING_REVIEW', 'NEEDS_CORRECTION', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;

interface QueueItem {
  registrationId: string;
  status: string;
  createdAt: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  nationality: string;
  round: number;
  scriptMixing?: ScriptMixFlag[];
}

export const AgentPage = withLogin(AgentQueue);

function AgentQueue() {
  const { t, api, route, navigate } = usePortal();
  const formatDate = useFormatDate();
  const status = route.query.get('status') ?? 'PENDING_REVIEW';
  const [pages, setPages] = useState<{ status: string; items: QueueItem[]; cursor?: string }>({
    status,
    items: [],
  });
  const queue = useLoad(async () => {
    const page = await api.get<Page<QueueItem>>('/agent/bis-registrations', { status });
    setPages({ status, items: page.items, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
    return page;
  }, [status]);
  const more = async () => {
    if (!pages.cursor) return;
    const page = await api.get<Page<QueueItem>>('/agent/bis-registrations', { status, cursor: pages.cursor });
    setPages({
      status,
      items: [...pages.items, ...page.items],
      ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
    });
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('agent.heading')}>{t('agent.heading')}</PageHeading>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const value = new FormData(event.currentTarget).get('status');
          navigate(pathFor('agent', {}, { status: typeof value === 'string' ? value : undefined }));
        }}
      >
        <Field
          name="status"
          label={t('agent.filter')}
          options={BIS_STATUSES.map((value) => ({ value, label: bisStatusLabel(t, value) }))}
          defaultValue={status}
        />
        <button type="submit" class="button">
          {t('common.refresh')}
        </button>
      </form>
      {queue.loading ? <Loading /> : null}
      <ErrorSummary problem={queue.problem} />
      {!queue.loading && pages.items.length === 0 && !queue.problem ? <p>{t('agent.empty')}</p> : null}
      {pages.items.length > 0 ? (
        <Table
          columns={[
            t('agent.applicant'),
            t('field.birthDate'),
            t('field.nationality'),
            t('agent.submittedAt'),
            t('common.actions'),
          ]}
        >
          {pages.items.map((item) => {
            const name = `${item.givenNames} ${item.familyName}`;
            return (
              <tr key={item.registrationId}>
                <td>
                  {name}
                  <ScriptMixingFlags flags={item.scriptMixing} />
                </td>
                <td>{formatDate(item.birthDate)}</td>
                <td>{item.nationality}</td>
                <td>{formatDate(item.createdAt)}</td>
                <td>
                  <Link href={pathFor('agentReview', { registrationId: item.registrationId })}>
                    {t('agent.review', { name })}
                  </Link>
                </td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      {pages.cursor ? (
        <button type="button" class="button" onClick={() => void more()}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

export const AgentReviewPage = withLogin(AgentReview);

function AgentReview({ registrationId }: { registrationId: string }) {
  const { t, api } = usePortal();
  const formatDate = useFormatDate();
  const countries = useCountryOptions();
  const countryName = (code: string) => countries.find((option) => option.value === code)?.label ?? code;
  const [decided, setDecided] = useState<string | undefined>(undefined);
  const registration = useLoad(
    () => api.get<BisRegistration>(`/bis-registrations/${encodeURIComponent(registrationId)}`),
    [registrationId],
  );
  const decision = useSubmit(
    (form) =>
      api.post<{ status: string; decision: string }>(
        `/agent/bis-registrations/${encodeURIComponent(registrationId)}/decision`,
        formValues(form),
      ),
    (result) => {
      const label =
        result.decision === 'approve'
          ? t('agent.approve')
          : result.decision === 'reject'
            ? t('agent.reject')
            : t('agent.requestCorrection');
      setDecided(t('agent.decided', { decision: label }));
      // The workflow applies the decision a moment later: show the outcome when it is there.
      registration.reload();
      window.setTimeout(() => registration.reload(), 1500);
    },
  );
  const data = registration.data;
  const name = data ? `${data.data.givenNames} ${data.data.familyName}` : '';
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('agent.detailHeading', { name })}>
        {t('agent.detailHeading', { name })}
      </PageHeading>
      <p>
        <Link href={pathFor('agent')}>{t('common.back')}</Link>
      </p>
      <StatusMessage message={decided} />
      {registration.loading && !data ? <Loading /> : null}
      <ErrorSummary problem={registration.problem} />
      {data ? (
        <>
          <dl class="facts">
            <dt>{t('common.status')}</dt>
            <dd data-testid="bis-status">{bisStatusLabel(t, data.status)}</dd>
            {data.bisNumber ? (
              <>
                <dt>{t('bis.number')}</dt>
                <dd data-testid="bis-number">{data.bisNumber}</dd>
              </>
            ) : null}
            <dt>{t('field.givenNames')}</dt>
            <dd>{data.data.givenNames}</dd>
            <dt>{t('field.familyName')}</dt>
            <dd>{data.data.familyName}</dd>
            <dt>{t('field.birthDate')}</dt>
            <dd>{formatDate(data.data.birthDate)}</dd>
            <dt>{t('field.sex')}</dt>
            <dd>
              {data.data.sex === 'M'
                ? t('field.sexM')
                : data.data.sex === 'F'
                  ? t('field.sexF')
                  : t('field.sexNone')}
            </dd>
            <dt>{t('field.nationality')}</dt>
            <dd>{countryName(data.data.nationality)}</dd>
            <dt>{t('field.placeOfBirth')}</dt>
            <dd>{data.data.placeOfBirth}</dd>
            <dt>{t('field.address')}</dt>
            <dd>
              {data.data.address.street} {data.data.address.houseNumber}, {data.data.address.postalCode}{' '}
              {data.data.address.city}, {countryName(data.data.address.country)}
            </dd>
            <dt>{t('field.email')}</dt>
            <dd>{data.data.email}</dd>
            <dt>{t('field.phone')}</dt>
            <dd>{data.data.phone}</dd>
          </dl>
          {data.status === 'PENDING_REVIEW' ? (
            <form onSubmit={decision.onSubmit} noValidate>
              <ErrorSummary
                problem={decision.problem}
                labels={{ decision: t('agent.decision'), reason: t('common.reason') }}
              />
              <fieldset>
                <legend>{t('agent.decision')}</legend>
                <div class="radios">
                  {(
                    [
                      ['approve', t('agent.approve')],
                      ['request-correction', t('agent.requestCorrection')],
                      ['reject', t('agent.reject')],
                    ] as const
                  ).map(([value, label]) => (
                    <div class="radio" key={value}>
                      <input type="radio" id={`decision-${value}`} name="decision" value={value} required />
                      <label for={`decision-${value}`}>{label}</label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <Field
                name="reason"
                label={t('common.reason')}
                hint={t('agent.reasonHint')}
                optional
                multiline
                maxLength={1000}
                problem={decision.problem}
              />
              <button type="submit" class="button primary" disabled={decision.busy}>
                {t('agent.submit')}
              </button>
            </form>
          ) : null}
          <h2>{t('bis.history')}</h2>
          <ol class="history">
            {data.history.map((entry) => (
              <li key={`${entry.at}-${entry.event}`}>
                <time dateTime={entry.at}>{formatDate(entry.at)}</time> — {bisStatusLabel(t, entry.status)}
                {entry.reason ? `: ${reasonText(t, entry.reason)}` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

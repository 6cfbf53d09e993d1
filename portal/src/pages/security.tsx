/**
 * The security officers' queue of foreign-company registrations
 * (`GET /security/foreign-registrations?status=`), with the extract (a short-lived download link
 * from `GET /organisations/foreign-registrations/{id}`) and the decision
 * (`POST /security/foreign-registrations/{id}/decision`, a reason is required to reject). The
 * organisation cases are the officers' other queue (security-cases.tsx).
 */
import { useState } from 'preact/hooks';
import type { Address, Page } from '../api/client.ts';
import {
  DecisionChoices,
  ErrorSummary,
  Field,
  formValues,
  Link,
  Loading,
  PageHeading,
  StatusMessage,
  useFormatDate,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import {
  type OrganisationFlag,
  OrganisationFlags,
  type ScriptMixFlag,
  ScriptMixingFlags,
} from '../lookalike.tsx';
import { pathFor } from '../router.ts';

const STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;

interface QueueItem {
  registrationId: string;
  status: string;
  name: string;
  country: string;
  registrationNumber: string;
  createdAt: string;
  scriptMixing?: ScriptMixFlag[];
  existingOrganisation?: OrganisationFlag;
  lookalikeOrganisations?: OrganisationFlag[];
}

interface Registration extends QueueItem {
  address?: Address;
  extract?: { url: string; expiresAt: string };
  reason?: string;
}

/** The security officers' queues, one link each: foreign registrations and organisation cases. */
export function SecurityNavigation() {
  const { t, route } = usePortal();
  const sections = [
    { name: 'security', label: t('security.heading') },
    { name: 'securityCases', label: t('cases.heading') },
  ] as const;
  return (
    <nav class="sub-nav" aria-label={t('security.sections')}>
      <ul>
        {sections.map((section) => (
          <li key={section.name}>
            <Link
              href={pathFor(section.name)}
              aria-current={route.name === section.name ? 'page' : undefined}
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const SecurityPage = withLogin(SecurityQueue);

function SecurityQueue() {
  const { t, api, route, navigate } = usePortal();
  const formatDate = useFormatDate();
  const status = route.query.get('status') ?? 'PENDING_REVIEW';
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const queue = useLoad(
    () => api.get<Page<QueueItem>>('/security/foreign-registrations', { status }),
    [status],
  );
  const statusLabel = (value: string) => t(`foreign.status.${value}` as MessageKey);
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('security.heading')}>{t('security.heading')}</PageHeading>
      <SecurityNavigation />
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const value = new FormData(event.currentTarget).get('status');
          navigate(pathFor('security', {}, { status: typeof value === 'string' ? value : undefined }));
        }}
      >
        <Field
          name="status"
          label={t('security.filter')}
          options={STATUSES.map((value) => ({ value, label: statusLabel(value) }))}
          defaultValue={status}
        />
        <button type="submit" class="button">
          {t('common.refresh')}
        </button>
      </form>
      <StatusMessage message={notice} />
      {queue.loading ? <Loading /> : null}
      <ErrorSummary problem={queue.problem} />
      {queue.data && queue.data.items.length === 0 ? <p>{t('security.empty')}</p> : null}
      <ul class="requests">
        {(queue.data?.items ?? []).map((item) => (
          <li key={item.registrationId} class="card">
            <h2>
              {item.name} <span class="muted">({item.country})</span>
            </h2>
            <ScriptMixingFlags flags={item.scriptMixing} />
            <OrganisationFlags
              existing={item.existingOrganisation}
              lookalikes={item.lookalikeOrganisations}
            />
            <dl class="facts">
              <dt>{t('security.registrationNumber')}</dt>
              <dd>{item.registrationNumber}</dd>
              <dt>{t('agent.submittedAt')}</dt>
              <dd>{formatDate(item.createdAt)}</dd>
              <dt>{t('common.status')}</dt>
              <dd>{statusLabel(item.status)}</dd>
            </dl>
            {item.status === 'PENDING_REVIEW' ? (
              <ForeignDecision
                item={item}
                onDecided={(decided) => {
                  setNotice(t('security.decided', { status: statusLabel(decided) }));
                  queue.reload();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ForeignDecision({ item, onDecided }: { item: QueueItem; onDecided: (status: string) => void }) {
  const { t, api } = usePortal();
  const [extract, setExtract] = useState<string | undefined>(undefined);
  const prefix = `foreign-${item.registrationId}`;
  const decision = useSubmit(
    (form) =>
      api.post<{ status: string }>(
        `/security/foreign-registrations/${encodeURIComponent(item.registrationId)}/decision`,
        formValues(form),
      ),
    (result) => onDecided(result.status),
  );
  const openExtract = async () => {
    // Download links are presigned for minutes: fetch one when the officer asks for it.
    const registration = await api.get<Registration>(
      `/organisations/foreign-registrations/${encodeURIComponent(item.registrationId)}`,
    );
    if (registration.extract) {
      setExtract(registration.extract.url);
      window.open(registration.extract.url, '_blank', 'noopener');
    }
  };
  return (
    <form onSubmit={decision.onSubmit} noValidate aria-label={t('security.decide', { name: item.name })}>
      <p>
        <button type="button" class="button small" onClick={() => void openExtract()}>
          {t('security.openExtract')}
        </button>
        {extract ? (
          <>
            {' '}
            <a href={extract} target="_blank" rel="noopener noreferrer">
              {t('security.extract')}
            </a>
          </>
        ) : null}
      </p>
      <ErrorSummary problem={decision.problem} scope={prefix} labels={{ reason: t('common.reason') }} />
      <DecisionChoices
        prefix={prefix}
        legend={t('security.decide', { name: item.name })}
        choices={[
          { value: 'approve', label: t('security.approve') },
          { value: 'reject', label: t('security.reject') },
        ]}
      />
      <Field
        scope={prefix}
        name="reason"
        label={t('common.reason')}
        optional
        multiline
        maxLength={1000}
        problem={decision.problem}
      />
      <button type="submit" class="button primary" disabled={decision.busy}>
        {t('security.submit')}
      </button>
    </form>
  );
}

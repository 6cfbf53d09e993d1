/**
 * Register a foreign company: the extract goes straight to S3 with the presigned PUT of
 * `POST /uploads` (the API never sees the file), then `POST /organisations/foreign-registrations`.
 * The status page (`GET /organisations/foreign-registrations/{id}`) follows the review by itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/problem.ts';
import {
  AddressFields,
  ErrorSummary,
  Field,
  formValues,
  Link,
  PageHeading,
  StatusMessage,
  useCountryOptions,
  useFormatDate,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { usePollWhile } from '../poll.ts';
import { reasonText } from '../reasons.ts';
import { PreviousRequests, StatusFact, StatusPageTop } from '../request-pages.tsx';
import { pathFor } from '../router.ts';
import { tabMemory } from '../tab-memory.ts';

/** How often an open status page asks for news while a security officer may decide. */
const FOREIGN_POLL_MS = 5_000;

const STORAGE_PREFIX = 'eid-access.foreign.';

interface RememberedRegistration {
  registrationId: string;
  name: string;
  createdAt: string;
}

/** The person's registrations made in this tab. */
const memory = tabMemory<RememberedRegistration>(STORAGE_PREFIX);

/** `GET /organisations/foreign-registrations/{id}` as its applicant sees it. */
interface ForeignRegistration {
  registrationId: string;
  status: string;
  name: string;
  country: string;
  registrationNumber: string;
  createdAt: string;
  updatedAt: string;
  orgCode?: string;
  reason?: string;
}

/** A foreign registration's status as a person reads it. */
export function foreignStatusLabel(t: Translate, status: string): string {
  return status in { PENDING_REVIEW: 1, APPROVED: 1, REJECTED: 1, EXPIRED: 1 }
    ? t(`foreign.status.${status}` as MessageKey)
    : status;
}

/** The API's limit for an extract (POST /uploads). */
const MAX_EXTRACT_MB = 10;

interface Upload {
  uploadId: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
}

/** A local check failed before anything was sent: shown like a 400 on the file field. */
function fileProblem(message: string): ApiError {
  return new ApiError(400, {
    type: 'urn:eid-access:problem:validation',
    title: 'Invalid input',
    status: 400,
    errors: [{ path: 'extract', message }],
  });
}

export const ForeignCompanyPage = withLogin(ForeignCompany);

function ForeignCompany() {
  const { t, api, language, claims, navigate } = usePortal();
  const formatDate = useFormatDate();
  const countries = useCountryOptions().filter((option) => option.value !== 'BE');
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const { busy, problem, onSubmit } = useSubmit(
    async (form) => {
      const file = (form.elements.namedItem('extract') as HTMLInputElement | null)?.files?.[0];
      if (!file) throw fileProblem(t('foreign.missingFile'));
      if (file.type !== 'application/pdf' && !file.name.toLowerCase().endsWith('.pdf')) {
        throw fileProblem(t('foreign.pdfOnly'));
      }
      if (file.size > MAX_EXTRACT_MB * 1024 * 1024)
        throw fileProblem(t('foreign.tooLarge', { size: MAX_EXTRACT_MB }));
      setProgress(t('foreign.uploading'));
      const upload = await api.post<Upload>('/uploads', { contentType: 'application/pdf', size: file.size });
      const put = await fetch(upload.url, {
        method: upload.method ?? 'PUT',
        headers: upload.headers ?? { 'content-type': 'application/pdf' },
        body: file,
      }).catch((cause: unknown) => {
        throw new ApiError(0, undefined, { cause });
      });
      if (!put.ok) throw new ApiError(put.status, undefined);
      const { extract: _file, ...values } = formValues(form);
      const answer = await api.post<{ registrationId: string; status: string }>(
        '/organisations/foreign-registrations',
        { ...values, uploadId: upload.uploadId, locale: language },
      );
      return { ...answer, name: typeof values.name === 'string' ? values.name : '' };
    },
    (result) => {
      setProgress(undefined);
      if (claims)
        memory.remember(claims.personId, {
          registrationId: result.registrationId,
          name: result.name,
          createdAt: new Date().toISOString(),
        });
      navigate(pathFor('foreignStatus', { registrationId: result.registrationId }, { submitted: '1' }));
    },
  );
  const previous = claims ? memory.list(claims.personId) : [];
  const labels = {
    name: t('foreign.name'),
    country: t('foreign.country'),
    registrationNumber: t('foreign.registrationNumber'),
    'address.street': t('field.street'),
    'address.houseNumber': t('field.houseNumber'),
    'address.postalCode': t('field.postalCode'),
    'address.city': t('field.city'),
    'address.country': t('field.country'),
    extract: t('foreign.extract'),
    uploadId: t('foreign.extract'),
    email: t('field.email'),
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('foreign.heading')}>{t('foreign.heading')}</PageHeading>
      <p>{t('foreign.intro')}</p>
      <PreviousRequests
        items={previous}
        heading={t('foreign.myRegistrations')}
        newHeading={t('foreign.newRegistration')}
        href={(registration) => pathFor('foreignStatus', { registrationId: registration.registrationId })}
        label={(registration) =>
          t('foreign.openRegistration', { name: registration.name, date: formatDate(registration.createdAt) })
        }
      />
      <StatusMessage message={busy ? progress : undefined} />
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary problem={problem} labels={labels} />
        <Field
          name="name"
          label={labels.name}
          problem={problem}
          autocomplete="organization"
          maxLength={200}
        />
        <Field name="country" label={labels.country} problem={problem} options={countries} />
        <Field name="registrationNumber" label={labels.registrationNumber} problem={problem} maxLength={60} />
        <AddressFields prefix="address" legend={t('foreign.address')} problem={problem} />
        <Field
          name="email"
          label={labels.email}
          type="email"
          optional
          problem={problem}
          autocomplete="email"
        />
        <Field
          name="extract"
          label={labels.extract}
          hint={t('foreign.extractHint', { size: MAX_EXTRACT_MB })}
          type="file"
          accept="application/pdf,.pdf"
          problem={problem}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {t('foreign.submit')}
        </button>
      </form>
    </section>
  );
}

export const ForeignStatusPage = withLogin(ForeignStatus);

function ForeignStatus({ registrationId }: { registrationId: string }) {
  const { t, api, route, session, me } = usePortal();
  const formatDate = useFormatDate();
  const countries = useCountryOptions();
  const [notice] = useState<string | undefined>(
    route.query.get('submitted') ? t('foreign.submitted') : undefined,
  );
  const registration = useLoad(
    () =>
      api.get<ForeignRegistration>(
        `/organisations/foreign-registrations/${encodeURIComponent(registrationId)}`,
      ),
    [registrationId],
  );
  const data = registration.data;
  const waiting = data?.status === 'PENDING_REVIEW';
  // While a security officer may decide, the page follows the registration by itself.
  usePollWhile(waiting, registration.reload, FOREIGN_POLL_MS);
  const approved = data?.status === 'APPROVED';
  useEffect(() => {
    // Approved: the applicant is now the organisation's local administrator; new tokens carry it.
    if (approved) void session.idToken({ forceRefresh: true });
  }, [approved, session]);
  const organisationName = data?.orgCode
    ? (me?.memberships.find((membership) => membership.orgCode === data.orgCode)?.name ?? data.name)
    : undefined;
  return (
    <section aria-labelledby="page-heading">
      <StatusPageTop
        title={t('foreign.statusHeading')}
        notice={notice}
        loading={registration.loading && !data}
        problem={registration.problem}
      />
      {data ? (
        <>
          <dl class="facts">
            <StatusFact
              status={data.status}
              label={foreignStatusLabel(t, data.status)}
              testId="foreign-status"
            />
            <dt>{t('foreign.name')}</dt>
            <dd>{data.name}</dd>
            <dt>{t('foreign.country')}</dt>
            <dd>{countries.find((option) => option.value === data.country)?.label ?? data.country}</dd>
            <dt>{t('foreign.registrationNumber')}</dt>
            <dd>{data.registrationNumber}</dd>
            <dt>{t('foreign.sentOn')}</dt>
            <dd>
              <time dateTime={data.createdAt}>{formatDate(data.createdAt)}</time>
            </dd>
            {data.reason ? (
              <>
                <dt>{t('foreign.officerMessage')}</dt>
                <dd>{reasonText(t, data.reason)}</dd>
              </>
            ) : null}
          </dl>
          {waiting ? <p class="hint">{t('foreign.updatesLive')}</p> : null}
          {approved && data.orgCode && organisationName ? (
            <p>
              <Link href={pathFor('organisation', { orgCode: data.orgCode })}>
                {t('foreign.manage', { name: organisationName })}
              </Link>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

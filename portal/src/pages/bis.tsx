/**
 * BIS number requests: the form (`POST /bis-registrations`), the status page with history and the
 * issued number (`GET /bis-registrations/{id}`), and the correction form when an agent asked for one
 * (`POST /bis-registrations/{id}/corrections`).
 */
import { useState } from 'preact/hooks';
import type { BisRegistration, Me, PersonData } from '../api/client.ts';
import type { ProblemMessage } from '../api/problem.ts';
import {
  AddressFields,
  ErrorSummary,
  Field,
  formValues,
  Loading,
  PageHeading,
  useCountryOptions,
  useFormatDate,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { formatInsz } from '../format.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { usePollWhile } from '../poll.ts';
import { reasonText } from '../reasons.ts';
import { PreviousRequests, StatusFact, StatusPageTop } from '../request-pages.tsx';
import { pathFor } from '../router.ts';
import { tabMemory } from '../tab-memory.ts';

const STORAGE_PREFIX = 'eid-access.bis.';
/** How often an open status page asks for news while the request waits for an agent. */
const BIS_POLL_MS = 4_000;

interface RememberedRegistration {
  registrationId: string;
  createdAt: string;
}

/** The person's requests made in this tab. */
const memory = tabMemory<RememberedRegistration>(STORAGE_PREFIX);

/** Labels of the person-data fields, by API path (for the error summary). */
export function personLabels(t: Translate): Record<string, string> {
  return {
    givenNames: t('field.givenNames'),
    familyName: t('field.familyName'),
    birthDate: t('field.birthDate'),
    sex: t('field.sex'),
    nationality: t('field.nationality'),
    placeOfBirth: t('field.placeOfBirth'),
    'address.street': t('field.street'),
    'address.houseNumber': t('field.houseNumber'),
    'address.postalCode': t('field.postalCode'),
    'address.city': t('field.city'),
    'address.country': t('field.country'),
    email: t('field.email'),
    phone: t('field.phone'),
  };
}

/** What a form starts with: some of the person data, an address in part. */
type InitialPersonData = Partial<Omit<PersonData, 'address'>> & { address?: Partial<PersonData['address']> };

/**
 * The start of a new BIS request: everything the platform already knows from the login (eIDAS
 * asserts names, birth date, and often sex, nationality, place of birth and address), so a person
 * only adds what is missing.
 */
export function initialRequest(me: Me): InitialPersonData {
  return {
    givenNames: me.givenNames,
    familyName: me.familyName,
    birthDate: me.birthDate,
    ...(me.sex ? { sex: me.sex } : {}),
    ...(me.nationality ? { nationality: me.nationality } : {}),
    ...(me.placeOfBirth ? { placeOfBirth: me.placeOfBirth } : {}),
    ...(me.address ? { address: me.address } : {}),
  };
}

/** The person-data fields of a BIS request or correction. */
function PersonFields({
  problem,
  initial,
}: {
  problem: ProblemMessage | undefined;
  initial: InitialPersonData;
}) {
  const { t } = usePortal();
  const countries = useCountryOptions();
  return (
    <>
      <fieldset>
        <legend>{t('bis.personal')}</legend>
        <Field
          name="givenNames"
          label={t('field.givenNames')}
          problem={problem}
          autocomplete="given-name"
          defaultValue={initial.givenNames}
        />
        <Field
          name="familyName"
          label={t('field.familyName')}
          problem={problem}
          autocomplete="family-name"
          defaultValue={initial.familyName}
        />
        <Field
          name="birthDate"
          label={t('field.birthDate')}
          type="date"
          problem={problem}
          autocomplete="bday"
          defaultValue={initial.birthDate}
        />
        <Field
          name="sex"
          label={t('field.sex')}
          optional
          problem={problem}
          options={[
            { value: '', label: t('field.sexNone') },
            { value: 'F', label: t('field.sexF') },
            { value: 'M', label: t('field.sexM') },
          ]}
          defaultValue={initial.sex}
        />
        <Field
          name="nationality"
          label={t('field.nationality')}
          problem={problem}
          options={countries}
          defaultValue={initial.nationality}
        />
        <Field
          name="placeOfBirth"
          label={t('field.placeOfBirth')}
          problem={problem}
          maxLength={100}
          defaultValue={initial.placeOfBirth}
        />
      </fieldset>
      <AddressFields prefix="address" legend={t('field.address')} problem={problem} value={initial.address} />
      <fieldset>
        <legend>{t('bis.contact')}</legend>
        <Field
          name="email"
          label={t('field.email')}
          type="email"
          problem={problem}
          autocomplete="email"
          inputMode="email"
          defaultValue={initial.email}
        />
        <Field
          name="phone"
          label={t('field.phone')}
          type="tel"
          hint={t('field.phoneHint')}
          problem={problem}
          autocomplete="tel"
          defaultValue={initial.phone}
        />
      </fieldset>
    </>
  );
}

export const BisPage = withLogin(BisRequest);

function BisRequest() {
  const { t, api, navigate, language, claims } = usePortal();
  const formatDate = useFormatDate();
  const me = useLoad(() => api.get<Me>('/me'), []);
  const { busy, problem, onSubmit } = useSubmit(
    (form) =>
      api.post<{ registrationId: string; status: string }>('/bis-registrations', {
        ...formValues(form),
        locale: language,
      }),
    (result) => {
      if (claims)
        memory.remember(claims.personId, {
          registrationId: result.registrationId,
          createdAt: new Date().toISOString(),
        });
      navigate(pathFor('bisStatus', { registrationId: result.registrationId }, { submitted: '1' }));
    },
  );
  const previous = claims ? memory.list(claims.personId) : [];
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('bis.heading')}>{t('bis.heading')}</PageHeading>
      <p>{t('bis.intro')}</p>
      <PreviousRequests
        items={previous}
        heading={t('bis.myRequests')}
        newHeading={t('bis.newRequest')}
        href={(registration) => pathFor('bisStatus', { registrationId: registration.registrationId })}
        label={(registration) => t('bis.openRequest', { date: formatDate(registration.createdAt) })}
      />
      {me.loading ? <Loading /> : null}
      {me.problem ? <ErrorSummary problem={me.problem} /> : null}
      {me.data?.insz ? <p>{t('bis.already', { insz: formatInsz(me.data.insz) })}</p> : null}
      {me.data && !me.data.insz ? (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary problem={problem} labels={personLabels(t)} />
          <PersonFields problem={problem} initial={initialRequest(me.data)} />
          <button type="submit" class="button primary" disabled={busy}>
            {t('bis.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

export const BisStatusPage = withLogin(BisStatus);

/** A BIS status as a person reads it. */
export function bisStatusLabel(t: Translate, status: string): string {
  const key = `bis.status.${status}` as MessageKey;
  return status in { PENDING_REVIEW: 1, NEEDS_CORRECTION: 1, APPROVED: 1, REJECTED: 1, EXPIRED: 1 }
    ? t(key)
    : status;
}

function BisStatus({ registrationId }: { registrationId: string }) {
  const { t, api, route, session } = usePortal();
  const formatDate = useFormatDate();
  const [notice, setNotice] = useState<string | undefined>(
    route.query.get('submitted') ? t('bis.submitted') : undefined,
  );
  const registration = useLoad(
    () => api.get<BisRegistration>(`/bis-registrations/${encodeURIComponent(registrationId)}`),
    [registrationId],
  );
  const correction = useSubmit(
    (form) =>
      api.post<{ registrationId: string; status: string }>(
        `/bis-registrations/${encodeURIComponent(registrationId)}/corrections`,
        formValues(form),
      ),
    () => {
      setNotice(t('bis.correctionSent'));
      registration.reload();
    },
  );
  const data = registration.data;
  const waiting = data?.status === 'PENDING_REVIEW';
  // While an agent may act, the page follows the request by itself (no "Refresh" needed).
  usePollWhile(waiting, registration.reload, BIS_POLL_MS);
  if (data?.status === 'APPROVED' && data.bisNumber) {
    // The number is now the person's INSZ: a fresh ID token carries it for the navigation.
    void session.idToken();
  }
  return (
    <section aria-labelledby="page-heading">
      <StatusPageTop
        title={t('bis.statusHeading')}
        notice={notice}
        loading={registration.loading && !data}
        problem={registration.problem}
      />
      {data ? (
        <>
          <dl class="facts">
            <StatusFact status={data.status} label={bisStatusLabel(t, data.status)} testId="bis-status" />
            {data.bisNumber ? (
              <>
                <dt>{t('bis.number')}</dt>
                <dd class="bis-number" data-testid="bis-number">
                  {formatInsz(data.bisNumber)}
                </dd>
              </>
            ) : null}
            {data.reason ? (
              <>
                <dt>{t('bis.agentMessage')}</dt>
                <dd>{reasonText(t, data.reason)}</dd>
              </>
            ) : null}
          </dl>
          {waiting ? <p class="hint">{t('bis.updatesLive')}</p> : null}
          <p>
            <button
              type="button"
              class="button"
              onClick={() => {
                setNotice(undefined);
                registration.reload();
              }}
            >
              {t('common.refresh')}
            </button>
          </p>
          {data.status === 'NEEDS_CORRECTION' ? (
            <section aria-labelledby="correct-heading">
              <h2 id="correct-heading">{t('bis.correctHeading')}</h2>
              <p>{t('bis.correctIntro')}</p>
              <form onSubmit={correction.onSubmit} noValidate>
                <ErrorSummary problem={correction.problem} labels={personLabels(t)} />
                <PersonFields problem={correction.problem} initial={data.data} />
                <button type="submit" class="button primary" disabled={correction.busy}>
                  {t('bis.correctSubmit')}
                </button>
              </form>
            </section>
          ) : null}
          <h2>{t('bis.history')}</h2>
          <ol class="history">
            {data.history.map((entry) => (
              <li key={`${entry.at}-${entry.event}`}>
                <time dateTime={entry.at}>{formatDate(entry.at)}</time> — {bisStatusLabel(t, entry.status)} (
                {t(`bis.actor.${entry.actor}` as MessageKey)})
                {entry.reason ? `: ${reasonText(t, entry.reason)}` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

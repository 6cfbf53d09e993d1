/**
 * The self-registration landing page `/request?org=<orgCode>&app=<APP>[&role=<role>]`: a right
 * request pre-filled from the link and the catalogue (`GET /applications`). It grants nothing: the
 * request goes to the organisation's local administrators (`POST …/right-requests`).
 */
import { useState } from 'preact/hooks';
import { type Me, orgPath } from '../api/client.ts';
import {
  ErrorSummary,
  Field,
  formValues,
  Link,
  PageHeading,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { Language, MessageKey } from '../i18n/i18n.ts';
import { InszRequired, RequestOutcome } from '../request-pages.tsx';
import { pathFor } from '../router.ts';

type DisplayName = Partial<Record<Language, string>>;

/** One application of `GET /applications`. */
export interface CatalogueApplication {
  application: string;
  displayName?: DisplayName;
  roles: {
    role: string;
    displayName?: DisplayName;
    requiresApproval: boolean;
    defaultValidityDays?: number;
  }[];
}

/** A catalogue name in the reader's language (German and missing ones fall back to English). */
export function displayName(name: DisplayName | undefined, language: Language, fallback: string): string {
  return name?.[language] ?? name?.en ?? fallback;
}

export const RightRequestPage = withLogin(RightRequest);

function RightRequest() {
  const { t, api, route, language } = usePortal();
  const linkOrg = route.query.get('org') ?? '';
  const linkApp = route.query.get('app') ?? '';
  const linkRole = route.query.get('role') ?? '';
  const data = useLoad(async () => {
    const [catalogue, me] = await Promise.all([
      api.get<{ items: CatalogueApplication[] }>('/applications'),
      api.get<Me>('/me'),
    ]);
    return { applications: catalogue.items, me };
  }, []);
  const [application, setApplication] = useState(linkApp);
  const [role, setRole] = useState(linkRole);
  const [sent, setSent] = useState<{ requestId: string; status: string } | undefined>(undefined);
  const { busy, problem, onSubmit } = useSubmit((form) => {
    const { orgCode, ...body } = formValues(form);
    return api.post<{ requestId: string; status: string }>(
      orgPath(String(orgCode ?? ''), '/right-requests'),
      body,
    );
  }, setSent);
  const applications = data.data?.applications ?? [];
  const selected = applications.find((candidate) => candidate.application === application);
  const selectedRole = selected?.roles.find((candidate) => candidate.role === role);
  const unknownApplication =
    data.data && linkApp !== '' && !applications.some((a) => a.application === linkApp);
  const labels = {
    orgCode: t('request.organisation'),
    application: t('request.application'),
    role: t('request.role'),
    justification: t('request.justification'),
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('request.heading')}>{t('request.heading')}</PageHeading>
      <p>{t('request.intro')}</p>
      <RequestOutcome
        message={
          sent ? t('request.done', { status: t(`request.status.${sent.status}` as MessageKey) }) : undefined
        }
      >
        {sent ? <Link href={pathFor('profile')}>{t('nav.profile')}</Link> : null}
      </RequestOutcome>
      <InszRequired
        loading={data.loading}
        problem={data.problem}
        missingInsz={data.data !== undefined && !data.data.me.insz}
        message={t('request.needInsz')}
      />
      {data.data?.me.insz && !sent ? (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary problem={problem} labels={labels} />
          {unknownApplication ? (
            <p class="notice">{t('request.unknownApplication', { app: linkApp })}</p>
          ) : null}
          <Field
            name="orgCode"
            label={labels.orgCode}
            problem={problem}
            defaultValue={linkOrg}
            autocomplete="off"
            maxLength={60}
          />
          <Field
            name="application"
            label={labels.application}
            problem={problem}
            defaultValue={application}
            onInput={(value) => {
              setApplication(value);
              setRole('');
            }}
            options={[
              { value: '', label: t('request.chooseApplication') },
              ...applications.map((candidate) => ({
                value: candidate.application,
                label: displayName(candidate.displayName, language, candidate.application),
              })),
            ]}
          />
          <Field
            key={`roles-${application}`}
            name="role"
            label={labels.role}
            problem={problem}
            defaultValue={role}
            onInput={setRole}
            options={[
              { value: '', label: t('request.chooseRole') },
              ...(selected?.roles ?? []).map((candidate) => ({
                value: candidate.role,
                label: displayName(candidate.displayName, language, candidate.role),
              })),
            ]}
          />
          {selectedRole ? (
            <p class="hint-block">
              {selectedRole.requiresApproval ? t('request.needsApproval') : t('request.noApproval')}{' '}
              {selectedRole.defaultValidityDays
                ? t('request.validity', { days: selectedRole.defaultValidityDays })
                : ''}
            </p>
          ) : null}
          <Field
            name="justification"
            label={labels.justification}
            optional
            multiline
            maxLength={1000}
            problem={problem}
          />
          <button type="submit" class="button primary" disabled={busy}>
            {t('request.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

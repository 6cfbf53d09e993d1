/** Claim a Belgian company as its legal representative: `POST /organisations/claims`. */
import { useState } from 'preact/hooks';
import type { Me } from '../api/client.ts';
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
import { formatOrgCode } from '../format.ts';
import { InszRequired, RequestOutcome } from '../request-pages.tsx';
import { pathFor } from '../router.ts';
import { rememberMembership } from '../token-sync.ts';

interface ClaimResult {
  orgCode: string;
  name: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
}

export const ClaimPage = withLogin(Claim);

function Claim() {
  const { t, api, session, claims } = usePortal();
  const me = useLoad(() => api.get<Me>('/me'), []);
  const [claimed, setClaimed] = useState<ClaimResult | undefined>(undefined);
  const { busy, problem, onSubmit } = useSubmit(
    (form) => api.post<ClaimResult>('/organisations/claims', formValues(form)),
    (result) => {
      setClaimed(result);
      // The person did this themselves: no "you are now local administrator" notice on top.
      if (claims) {
        rememberMembership(sessionStorage, claims.personId, {
          orgCode: result.orgCode,
          localAdministrator: result.localAdministrator,
        });
      }
      // admin_of changes with the claim: the navigation follows the next ID token.
      void session.idToken({ forceRefresh: true });
    },
  );
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('claim.heading')}>{t('claim.heading')}</PageHeading>
      <p>{t('claim.intro')}</p>
      <RequestOutcome
        message={
          claimed
            ? t('claim.done', { name: claimed.name, orgCode: formatOrgCode(claimed.orgCode) })
            : undefined
        }
      >
        {claimed ? (
          <Link href={pathFor('organisation', { orgCode: claimed.orgCode })} class="button primary">
            {t('claim.manage', { name: claimed.name })}
          </Link>
        ) : null}
      </RequestOutcome>
      <InszRequired
        loading={me.loading}
        problem={me.problem}
        missingInsz={me.data !== undefined && !me.data.insz}
        message={t('claim.needInsz')}
      />
      {me.data?.insz && !claimed ? (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary problem={problem} labels={{ enterpriseNumber: t('claim.enterpriseNumber') }} />
          <Field
            name="enterpriseNumber"
            check="enterprise"
            label={t('claim.enterpriseNumber')}
            hint={t('claim.enterpriseHint')}
            problem={problem}
            inputMode="numeric"
            autocomplete="off"
            maxLength={14}
          />
          <button type="submit" class="button primary" disabled={busy}>
            {t('claim.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** "I know my Belgian number": `POST /me/insz`, checked against the person register (422 otherwise). */
import { useState } from 'preact/hooks';
import type { Me } from '../api/client.ts';
import { ApiError } from '../api/problem.ts';
import {
  ErrorSummary,
  Field,
  formValues,
  Loading,
  PageHeading,
  StatusMessage,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { ConnectHint } from '../identity/components.tsx';

export const InszPage = withLogin(LinkInsz);

function LinkInsz() {
  const { t, api, session } = usePortal();
  const me = useLoad(() => api.get<Me>('/me'), []);
  const [linked, setLinked] = useState<string | undefined>(undefined);
  // 409: the number belongs to another person; only a login with their other means can join them.
  const [inUse, setInUse] = useState(false);
  const { busy, problem, onSubmit } = useSubmit(
    (form) => {
      setInUse(false);
      return api
        .post<{ personId: string; insz: string }>('/me/insz', formValues(form))
        .catch((error: unknown) => {
          setInUse(error instanceof ApiError && error.status === 409);
          throw error;
        });
    },
    (result) => {
      setLinked(result.insz);
      // The new number is in the next ID token: refresh now so navigation follows.
      void session.idToken({ forceRefresh: true });
    },
  );
  const labels = {
    insz: t('insz.insz'),
    givenNames: t('field.givenNames'),
    familyName: t('field.familyName'),
    birthDate: t('field.birthDate'),
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('insz.heading')}>{t('insz.heading')}</PageHeading>
      <p>{t('insz.intro')}</p>
      <StatusMessage message={linked ? t('insz.done', { insz: linked }) : undefined} />
      {me.loading ? <Loading /> : null}
      {me.data?.insz && !linked ? <p>{t('insz.already', { insz: me.data.insz })}</p> : null}
      {me.data && !me.data.insz && !linked ? (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary problem={problem} labels={labels} />
          {inUse && problem ? <ConnectHint /> : null}
          <Field
            name="insz"
            check="insz"
            label={labels.insz}
            hint={t('insz.inszHint')}
            problem={problem}
            inputMode="numeric"
            autocomplete="off"
            maxLength={32}
          />
          <Field
            name="givenNames"
            label={labels.givenNames}
            problem={problem}
            autocomplete="given-name"
            defaultValue={me.data.givenNames}
          />
          <Field
            name="familyName"
            label={labels.familyName}
            problem={problem}
            autocomplete="family-name"
            defaultValue={me.data.familyName}
          />
          <Field
            name="birthDate"
            label={labels.birthDate}
            type="date"
            problem={problem}
            autocomplete="bday"
            defaultValue={me.data.birthDate}
          />
          <button type="submit" class="button primary" disabled={busy}>
            {t('insz.submit')}
          </button>
        </form>
      ) : null}
      {me.problem ? <ErrorSummary problem={me.problem} /> : null}
    </section>
  );
}

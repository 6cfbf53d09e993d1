/**
 * `/auth/callback`: the managed login sends the browser here with `code` and `state` (or `error`).
 * Redeems the code once (StrictMode-proof via a module flag) and continues where the login started.
 */
import { useEffect, useState } from 'preact/hooks';
import { loginErrorMessage } from '../api/problem.ts';
import { LoginError } from '../auth/session.ts';
import { LoginButtons, PageHeading } from '../components.tsx';
import { usePortal } from '../context.ts';
import { isInternalPath } from '../router.ts';

let redeeming: string | undefined;

export function CallbackPage() {
  const { t, session, navigate, route } = usePortal();
  const [failure, setFailure] = useState<string | undefined>(undefined);
  useEffect(() => {
    const key = route.query.toString();
    if (redeeming === key) return;
    redeeming = key;
    session.completeLogin(route.query).then(
      (returnTo) => navigate(isInternalPath(returnTo) ? returnTo : '/', { replace: true }),
      (error: unknown) => {
        if (error instanceof LoginError && error.reason === 'refused') {
          setFailure(t('auth.refused', { reason: loginErrorMessage(error.message) }));
        } else if (error instanceof LoginError && (error.reason === 'state' || error.reason === 'nonce')) {
          setFailure(t('auth.stateMismatch'));
        } else {
          setFailure(t('problem.network'));
        }
        window.history.replaceState(null, '', '/auth/callback');
      },
    );
  }, [route, session, navigate, t]);
  if (!failure) {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('auth.completing')}>{t('auth.completing')}</PageHeading>
        <p role="status">{t('common.loading')}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('auth.failed')}>{t('auth.failed')}</PageHeading>
      <div class="error-summary" role="alert">
        <p>{failure}</p>
      </div>
      <LoginButtons returnTo="/" />
    </section>
  );
}

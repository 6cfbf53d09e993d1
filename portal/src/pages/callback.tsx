/**
 * `/auth/callback`: the managed login sends the browser here with `code` and `state` (or `error`).
 * Redeems the code once (StrictMode-proof via a module flag) and continues where the login started.
 */
import { useEffect, useState } from 'preact/hooks';
import { REFUSAL_TEXT, walletRefusalReason } from '../../../lambdas/wallet-bridge/messages.ts';
import { loginRefusalCode } from '../api/problem.ts';
import { LoginError } from '../auth/session.ts';
import { Link, LoginButtons, PageHeading } from '../components.tsx';
import { usePortal } from '../context.ts';
import { hasMessage, type MessageKey } from '../i18n/i18n.ts';
import { isInternalPath, pathFor } from '../router.ts';

/** Refusals whose next step is a Belgian number from a registration office, then "username and code". */
const OFFICE_REFUSALS = new Set(['refused-nationality', 'insufficient-loa']);

/** What went wrong: a refusal's code, or another kind of failure (already translated). */
type Failure = { kind: 'refused'; code: string | undefined } | { kind: 'other'; message: MessageKey };

let redeeming: string | undefined;

export function CallbackPage() {
  const { t, session, navigate, route } = usePortal();
  const [failure, setFailure] = useState<Failure | undefined>(undefined);
  useEffect(() => {
    const key = route.query.toString();
    if (redeeming === key) return;
    redeeming = key;
    session.completeLogin(route.query).then(
      (returnTo) => navigate(isInternalPath(returnTo) ? returnTo : '/', { replace: true }),
      (error: unknown) => {
        if (error instanceof LoginError && error.reason === 'refused') {
          // Cognito passes on only the trigger's message; its leading [code] is what we translate.
          setFailure({ kind: 'refused', code: loginRefusalCode(error.message) });
        } else if (error instanceof LoginError && (error.reason === 'state' || error.reason === 'nonce')) {
          setFailure({ kind: 'other', message: 'auth.stateMismatch' });
        } else {
          setFailure({ kind: 'other', message: 'problem.network' });
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
  if (failure.kind === 'other') {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('auth.failed')}>{t('auth.failed')}</PageHeading>
        <div class="error-summary" role="alert">
          <p>{t(failure.message)}</p>
        </div>
        <LoginButtons returnTo="/" />
      </section>
    );
  }
  return <RefusalPage code={failure.code} />;
}

/**
 * A refused login: the reason in the reader's words and a concrete next step. People refused for
 * their nationality are not offered eIDAS again: they are sent to a registration office, whose
 * account they then use with "username and code".
 */
function RefusalPage({ code }: { code: string | undefined }) {
  const { t, config, language } = usePortal();
  const key = `refusal.${code ?? 'other'}`;
  // The wallet bridge's refusals (`wallet-<reason>`) read the bridge's own four-language sentences.
  const wallet = walletRefusalReason(code);
  const reason = wallet ? REFUSAL_TEXT[wallet][language] : hasMessage(key) ? t(key) : t('refusal.other');
  const office = code !== undefined && OFFICE_REFUSALS.has(code);
  const native = Boolean(config.cognitoIdpEndpoint && config.userPoolId);
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('auth.failed')}>{t('auth.failed')}</PageHeading>
      <div class="error-summary" role="alert" data-testid="refusal" data-code={code ?? ''}>
        <p>{reason}</p>
      </div>
      <h2>{t('refusal.nextHeading')}</h2>
      {office ? (
        <>
          <p>{t('refusal.nextOffice')}</p>
          <p>{t('refusal.nextNative')}</p>
          {native ? (
            <p>
              <Link href={pathFor('nativeLogin', {}, { returnTo: '/' })} class="button primary">
                {t('auth.loginNative')}
              </Link>
            </p>
          ) : null}
        </>
      ) : (
        <LoginButtons returnTo="/" />
      )}
      <p>
        <Link href={pathFor('help')}>{t('refusal.nextHelp')}</Link>
      </p>
    </section>
  );
}

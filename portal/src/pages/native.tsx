/**
 * Native accounts (created by a registration office): the "username and code" login against
 * Cognito's API (auth/cognito-idp.ts: SRP, new password, code card or mobile app code), the mobile
 * app enrolment (AssociateSoftwareToken → VerifySoftwareToken → SetUserMFAPreference) and a new
 * code card (`POST /me/code-card`). The account pages are only for sessions with `idp` native.
 */
import { useMemo, useState } from 'preact/hooks';
import { describeProblem, type ProblemMessage } from '../api/problem.ts';
import { decodeJwtPayload } from '../auth/claims.ts';
import {
  type CognitoIdpConfig,
  cognitoErrorMessage,
  groupSecret,
  NativeLogin,
  type NativeStep,
  otpauthUri,
  softwareToken,
} from '../auth/cognito-idp.ts';
import { ErrorSummary, Field, PageHeading, RequireLogin, StatusMessage } from '../components.tsx';
import { type PortalContext, usePortal } from '../context.ts';
import type { Translate } from '../i18n/i18n.ts';
import { isInternalPath, pathFor } from '../router.ts';

/**
 * The Cognito API settings of the configuration, when the native login is configured: always the
 * native app client, never the portal's federated one.
 */
export function nativeConfig(config: PortalContext['config']): CognitoIdpConfig | undefined {
  const { cognitoIdpEndpoint, userPoolId, nativeClientId } = config;
  return cognitoIdpEndpoint && userPoolId && nativeClientId
    ? { cognitoIdpEndpoint, userPoolId, clientId: nativeClientId }
    : undefined;
}

/** An error summary's content for a Cognito error. */
function cognitoProblem(error: unknown, t: Translate): ProblemMessage {
  const { key, detail } = cognitoErrorMessage(error);
  return { headline: t(key), ...(detail ? { detail: t('problem.detail', { detail }) } : {}), fields: [] };
}

const fieldValue = (form: HTMLFormElement, name: string): string => {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
};

/** "Log in with username and code". */
export function NativeLoginPage() {
  const { t, config, session, navigate, route } = usePortal();
  const cognito = nativeConfig(config);
  const login = useMemo(
    () => (cognito ? new NativeLogin(cognito) : undefined),
    [cognito?.cognitoIdpEndpoint],
  );
  const [step, setStep] = useState<Exclude<NativeStep, { kind: 'done' }> | undefined>(undefined);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  if (!login) {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('native.heading')}>{t('native.heading')}</PageHeading>
        <p>{t('native.unavailable')}</p>
      </section>
    );
  }

  const returnTo = route.query.get('returnTo');
  const proceed = (next: NativeStep, previous: typeof step) => {
    if (next.kind === 'done') {
      session.completeNativeLogin(next.tokens);
      navigate(returnTo && isInternalPath(returnTo) ? returnTo : pathFor('profile'), { replace: true });
      return;
    }
    // A wrong card code gives a new challenge at another position: say so, then ask it.
    setNotice(
      previous?.kind === 'codeCard' && next.kind === 'codeCard'
        ? t('native.codeCardRetry', { position: next.position })
        : undefined,
    );
    setStep(next);
    // The new step's heading takes focus, as after a navigation.
    queueMicrotask(() => document.getElementById('page-heading')?.focus());
  };
  const run = async (action: () => Promise<NativeStep>) => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      proceed(await action(), step);
    } catch (error) {
      setProblem(cognitoProblem(error, t));
    } finally {
      setBusy(false);
    }
  };
  const restart = () => {
    setStep(undefined);
    setProblem(undefined);
    setNotice(undefined);
  };

  let title: string;
  let form: preact.JSX.Element;
  if (!step) {
    title = t('native.heading');
    form = (
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const target = event.currentTarget;
          void run(() => login.start(fieldValue(target, 'username').trim(), fieldValue(target, 'password')));
        }}
      >
        <p>{t('native.intro')}</p>
        <Field
          name="username"
          label={t('native.username')}
          hint={t('native.usernameHint')}
          autocomplete="username"
          maxLength={128}
        />
        <Field name="password" type="password" label={t('native.password')} autocomplete="current-password" />
        <button type="submit" class="button primary" disabled={busy}>
          {t('native.continue')}
        </button>
      </form>
    );
  } else if (step.kind === 'newPassword') {
    title = t('native.newPasswordHeading');
    form = (
      <form
        key="newPassword"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const target = event.currentTarget;
          const password = fieldValue(target, 'newPassword');
          if (password !== fieldValue(target, 'repeatPassword')) {
            setProblem({
              headline: t('native.passwordsDiffer'),
              fields: [{ path: 'repeatPassword', message: t('native.passwordsDiffer') }],
            });
            return;
          }
          void run(() => login.answer(step, password));
        }}
      >
        <p>{t('native.newPasswordIntro')}</p>
        <Field
          name="newPassword"
          type="password"
          label={t('native.newPassword')}
          hint={t('native.newPasswordHint')}
          autocomplete="new-password"
          problem={problem}
        />
        <Field
          name="repeatPassword"
          type="password"
          label={t('native.repeatPassword')}
          autocomplete="new-password"
          problem={problem}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {t('native.savePassword')}
        </button>
      </form>
    );
  } else if (step.kind === 'codeCard') {
    title = t('native.codeCardHeading');
    form = (
      <form
        key={`card-${step.position}-${step.session.slice(0, 8)}`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => login.answer(step, fieldValue(event.currentTarget, 'code')));
        }}
      >
        <Field
          name="code"
          label={t('native.codeCardLabel', { position: step.position })}
          hint={t('native.codeCardHint', { position: step.position })}
          autocomplete="off"
          inputMode="numeric"
          maxLength={12}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {t('native.logIn')}
        </button>
      </form>
    );
  } else {
    title = t('native.totpHeading');
    form = (
      <form
        key={`totp-${step.session.slice(0, 8)}`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => login.answer(step, fieldValue(event.currentTarget, 'code')));
        }}
      >
        <Field
          name="code"
          label={t('native.totpLabel')}
          autocomplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          maxLength={7}
        />
        <button type="submit" class="button primary" disabled={busy}>
          {t('native.logIn')}
        </button>
      </form>
    );
  }

  return (
    <section aria-labelledby="page-heading" class="native-login">
      <PageHeading title={title}>{title}</PageHeading>
      <StatusMessage message={notice} />
      <ErrorSummary problem={problem} />
      {form}
      {step ? (
        <p>
          <button type="button" class="button small" onClick={restart}>
            {t('native.startOver')}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function OnlyNative({ title, children }: { title: string; children: preact.ComponentChildren }) {
  const { t, claims } = usePortal();
  return (
    <RequireLogin>
      <section aria-labelledby="page-heading">
        <PageHeading title={title}>{title}</PageHeading>
        {claims?.idp === 'native' ? children : <p>{t('native.onlyNative')}</p>}
      </section>
    </RequireLogin>
  );
}

/** "Security code via mobile app": enrol an authenticator app as the second factor. */
export function AuthenticatorPage() {
  const { t } = usePortal();
  return (
    <OnlyNative title={t('native.totp.heading')}>
      <AuthenticatorEnrolment />
    </OnlyNative>
  );
}

function AuthenticatorEnrolment() {
  const { t, session, config } = usePortal();
  const cognito = nativeConfig(config);
  const [secret, setSecret] = useState<{ value: string; account: string } | undefined>(undefined);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  if (!cognito) return <p>{t('native.unavailable')}</p>;
  const endpoint = cognito.cognitoIdpEndpoint;

  const guarded = async (action: (accessToken: string) => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const accessToken = await session.accessToken();
      if (!accessToken) throw new Error('signed out');
      await action(accessToken);
    } catch (error) {
      setProblem(cognitoProblem(error, t));
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    guarded(async (accessToken) => {
      const value = await softwareToken.associate(endpoint, accessToken);
      const payload = decodeJwtPayload(accessToken);
      const account = typeof payload.username === 'string' ? payload.username : 'eID Access';
      setSecret({ value, account });
      queueMicrotask(() => document.getElementById('totp-secret-heading')?.focus());
    });

  if (done) {
    return <StatusMessage message={t('native.totp.done')} />;
  }
  const uri = secret ? otpauthUri(secret.value, secret.account) : '';
  return (
    <>
      <p>{t('native.totp.intro')}</p>
      <ErrorSummary problem={problem} />
      {secret ? (
        <>
          <h2 id="totp-secret-heading" tabIndex={-1}>
            {t('native.totp.secretHeading')}
          </h2>
          <p>{t('native.totp.secretIntro')}</p>
          <dl class="facts">
            <dt>{t('native.totp.secret')}</dt>
            <dd>
              <code data-testid="totp-secret" data-secret={secret.value}>
                {groupSecret(secret.value)}
              </code>
            </dd>
            <dt>{t('native.totp.uri')}</dt>
            <dd>
              <a href={uri} class="otpauth">
                <code>{uri}</code>
              </a>
            </dd>
          </dl>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const code = fieldValue(event.currentTarget, 'code');
              void guarded(async (accessToken) => {
                await softwareToken.verifyAndEnable(endpoint, accessToken, code);
                setDone(true);
              });
            }}
          >
            <Field
              name="code"
              label={t('native.totp.code')}
              autocomplete="one-time-code"
              inputMode="numeric"
              maxLength={7}
            />
            <button type="submit" class="button primary" disabled={busy}>
              {t('native.totp.verify')}
            </button>
          </form>
        </>
      ) : (
        <p>
          <button type="button" class="button primary" disabled={busy} onClick={() => void start()}>
            {t('native.totp.start')}
          </button>
        </p>
      )}
    </>
  );
}

/** "Request a new code card" (`POST /me/code-card`). */
export function CodeCardPage() {
  const { t } = usePortal();
  return (
    <OnlyNative title={t('native.card.heading')}>
      <CodeCardRequest />
    </OnlyNative>
  );
}

function CodeCardRequest() {
  const { t, api } = usePortal();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const request = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await api.post<{ cardId: string }>('/me/code-card', undefined);
      setDone(true);
    } catch (error) {
      setProblem(describeProblem(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p>{t('native.card.intro')}</p>
      <ErrorSummary problem={problem} />
      <StatusMessage message={done ? t('native.card.done') : undefined} />
      {done ? null : (
        <p>
          <button type="button" class="button primary" disabled={busy} onClick={() => void request()}>
            {t('native.card.confirm')}
          </button>
        </p>
      )}
    </>
  );
}

/**
 * "Connect another login" (identity design, rule 2): the person starts a connection with their
 * current login (`POST /me/connections`), logs in afresh with the other means, sees exactly what will
 * be connected (`GET /me/connections/{id}`) and confirms with the new login's token
 * (`POST /me/connections/{id}`).
 *
 * The connection id only ever lives in this tab's sessionStorage (identity/connection-intent.ts):
 * these pages read no id from the URL, so a link cannot make anyone confirm someone else's intent.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeProblem } from '../api/problem.ts';
import {
  ErrorSummary,
  Link,
  Loading,
  PageHeading,
  StatusMessage,
  useLoad,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { type ConnectionResult, identityApi } from '../identity/api.ts';
import { IdentityTable, providerName, useIdentityText } from '../identity/components.tsx';
import {
  CONNECT_MEANS,
  type ConnectionFailure,
  type ConnectionIntent,
  type ConnectMeans,
  classifyConnectionFailure,
  clearIntent,
  readIntent,
  saveIntent,
} from '../identity/connection-intent.ts';
import type { IdentityMessageKey } from '../identity/messages.ts';
import { pathFor } from '../router.ts';

const CONFIRM_PATH = pathFor('connectConfirm');

/** Leaves for a fresh login with `means`, coming back to `returnTo` (the confirmation page). */
function useFreshLogin() {
  const { session, language, navigate } = usePortal();
  return (means: ConnectMeans, returnTo: string = CONFIRM_PATH) => {
    if (means === 'native') {
      navigate(pathFor('nativeLogin', {}, { returnTo }));
      return;
    }
    void session.login({ returnTo, identityProvider: means, lang: language, prompt: 'login' });
  };
}

/** The means of the current login, from the token's `idp` claim. */
const meansOfIdp = (idp: string | undefined): ConnectMeans =>
  idp === 'native' ? 'native' : idp === 'itsme' ? 'itsme' : 'eIDAS';

/** The other means this portal offers (the native login only where it is configured). */
function useOfferedMeans(): ConnectMeans[] {
  const { config } = usePortal();
  return CONNECT_MEANS.filter(
    (means) => means !== 'native' || Boolean(config.cognitoIdpEndpoint && config.userPoolId),
  );
}

const MEANS_LABEL: Readonly<Record<ConnectMeans, IdentityMessageKey>> = {
  itsme: 'connect.with.itsme',
  eIDAS: 'connect.with.eIDAS',
  native: 'connect.with.native',
};

export const ConnectPage = withLogin(StartConnection);

function StartConnection() {
  const { t, api, claims } = usePortal();
  const it = useIdentityText();
  const freshLogin = useFreshLogin();
  const offered = useOfferedMeans();
  const [busy, setBusy] = useState<ConnectMeans | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const start = async (means: ConnectMeans) => {
    if (busy || !claims) return;
    setBusy(means);
    setFailure(undefined);
    try {
      const started = await identityApi(api).startConnection();
      saveIntent(sessionStorage, {
        connectionId: started.connectionId,
        expiresAt: started.expiresAt,
        initiatorPersonId: claims.personId,
        means,
      });
      freshLogin(means);
    } catch (error) {
      setFailure(error);
      setBusy(undefined);
    }
  };
  // 403 at the start: the current login is older than 10 minutes; prove it again, then come back.
  const recentLoginNeeded = failure instanceof ApiError && failure.status === 403;
  const currentMeans = meansOfIdp(claims?.idp);
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={it('connect.heading')}>{it('connect.heading')}</PageHeading>
      <p class="lead">{it('connect.intro')}</p>
      <p>{it('connect.how')}</p>
      <p class="notice">{it('connect.warning')}</p>
      {recentLoginNeeded ? (
        <div class="error-summary" role="alert" data-testid="recent-login">
          <p>{it('connect.recentLogin')}</p>
          <p>
            <button
              type="button"
              class="button primary"
              onClick={() => freshLogin(currentMeans, pathFor('connect'))}
            >
              {it('connect.loginAgainCurrent')}
            </button>
          </p>
        </div>
      ) : (
        <ErrorSummary problem={failure === undefined ? undefined : describeProblem(failure, t)} />
      )}
      <StatusMessage message={busy ? it('connect.starting') : undefined} />
      <h2>{it('connect.choose')}</h2>
      <ul class="means">
        {offered.map((means) => (
          <li key={means}>
            <button
              type="button"
              class={means === 'itsme' ? 'button primary' : 'button'}
              disabled={busy !== undefined}
              onClick={() => void start(means)}
            >
              {it(MEANS_LABEL[means])}
            </button>
          </li>
        ))}
      </ul>
      <p>
        <Link href={pathFor('profile')}>{t('common.back')}</Link>
      </p>
    </section>
  );
}

export const ConnectConfirmPage = withLogin(ConfirmConnection);

type Outcome =
  | { kind: 'done'; result: ConnectionResult }
  | { kind: 'cancelled' }
  | { kind: 'failed'; failure: ConnectionFailure; reference: string; detail?: string };

function ConfirmConnection() {
  const { claims } = usePortal();
  const it = useIdentityText();
  // Read once per render from this tab's storage only; never from the route's query or path.
  const [intent] = useState<ConnectionIntent | undefined>(() => readIntent(sessionStorage, Date.now()));
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const heading = (key: IdentityMessageKey) => <PageHeading title={it(key)}>{it(key)}</PageHeading>;

  if (outcome?.kind === 'done') return <Connected result={outcome.result} />;
  if (outcome?.kind === 'cancelled') {
    return (
      <section aria-labelledby="page-heading">
        {heading('connect.heading')}
        <StatusMessage message={it('connect.cancelled')} />
        <p>
          <Link href={pathFor('profile')} class="button">
            {it('connect.toProfile')}
          </Link>
        </p>
      </section>
    );
  }
  if (outcome?.kind === 'failed') {
    return (
      <section aria-labelledby="page-heading">
        {heading('connect.heading')}
        <FailureMessage failure={outcome.failure} reference={outcome.reference} detail={outcome.detail} />
        {outcome.failure === 'login-again' && intent ? <LoginAgain intent={intent} /> : null}
        <p>
          <Link href={pathFor('profile')} class="button">
            {it('connect.toProfile')}
          </Link>
        </p>
      </section>
    );
  }
  if (!intent) {
    return (
      <section aria-labelledby="page-heading">
        {heading('connect.heading')}
        <p class="notice" data-testid="no-connection">
          {it('connect.none')}
        </p>
        <p>
          <Link href={pathFor('profile')} class="button">
            {it('connect.startFromProfile')}
          </Link>
        </p>
      </section>
    );
  }
  if (claims?.personId === intent.initiatorPersonId) {
    return (
      <section aria-labelledby="page-heading">
        {heading('connect.heading')}
        <p class="notice">{it('connect.sameLogin')}</p>
        <LoginAgain intent={intent} />
        <CancelButton onCancel={() => setOutcome({ kind: 'cancelled' })} />
      </section>
    );
  }
  return <ConfirmDetails intent={intent} onOutcome={setOutcome} />;
}

function ConfirmDetails({
  intent,
  onOutcome,
}: {
  intent: ConnectionIntent;
  onOutcome: (outcome: Outcome) => void;
}) {
  const { api, session, claims, language } = usePortal();
  const it = useIdentityText();
  const [busy, setBusy] = useState(false);
  const identity = identityApi(api);
  const details = useLoad(
    () => Promise.all([identity.connection(intent.connectionId), identity.me()]),
    [intent.connectionId],
  );
  const fail = (error: unknown) => {
    const status = error instanceof ApiError ? error.status : 0;
    const failure = classifyConnectionFailure(status, false);
    if (failure !== 'login-again' && failure !== 'other') clearIntent(sessionStorage);
    const detail = error instanceof ApiError ? error.problem?.detail : undefined;
    onOutcome({
      kind: 'failed',
      failure,
      reference: intent.connectionId,
      ...(failure === 'other' && detail ? { detail } : {}),
    });
  };
  const failedToLoad = !details.loading && !details.data;
  // A connection that is unknown, expired or used (404) ends here; reported once the load settles.
  useEffect(() => {
    if (failedToLoad) fail(details.error);
  }, [failedToLoad]);
  if (!details.data) {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={it('connect.confirmHeading')}>{it('connect.confirmHeading')}</PageHeading>
        <Loading />
      </section>
    );
  }
  const [connection, me] = details.data;
  const validUntil = new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(
    new Date(connection.expiresAt),
  );
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const result = await identity.confirmConnection(intent.connectionId);
      clearIntent(sessionStorage);
      // The joined person is in the next token (a refresh reads the identity links again).
      await session.idToken({ forceRefresh: true });
      onOutcome({ kind: 'done', result });
    } catch (error) {
      setBusy(false);
      fail(error);
    }
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={it('connect.confirmHeading')}>{it('connect.confirmHeading')}</PageHeading>
      <p>{it('connect.confirmIntro')}</p>
      <dl class="facts" data-testid="connection-details">
        <dt>{it('connect.started')}</dt>
        <dd data-testid="connection-initiator">
          {providerName(it, connection.provider)} — {connection.givenNames} {connection.familyName}
        </dd>
        <dt>{it('connect.current')}</dt>
        <dd data-testid="connection-current">
          {providerName(it, claims?.idp)} — {me.givenNames} {me.familyName}
        </dd>
      </dl>
      <p>{it('connect.consequence')}</p>
      <p class="muted">{it('connect.validUntil', { time: validUntil })}</p>
      <p class="actions">
        <button type="button" class="button primary" disabled={busy} onClick={() => void confirm()}>
          {it('connect.confirm')}
        </button>{' '}
        <CancelButton onCancel={() => onOutcome({ kind: 'cancelled' })} disabled={busy} />
      </p>
    </section>
  );
}

function CancelButton({ onCancel, disabled }: { onCancel: () => void; disabled?: boolean }) {
  const it = useIdentityText();
  return (
    <button
      type="button"
      class="button"
      disabled={disabled}
      onClick={() => {
        clearIntent(sessionStorage);
        onCancel();
      }}
    >
      {it('connect.cancel')}
    </button>
  );
}

/** Fresh login buttons, the means chosen at the start first. */
function LoginAgain({ intent }: { intent: ConnectionIntent }) {
  const it = useIdentityText();
  const freshLogin = useFreshLogin();
  const offered = useOfferedMeans();
  const ordered = [intent.means, ...offered.filter((means) => means !== intent.means)].filter((means) =>
    offered.includes(means),
  );
  return (
    <ul class="means">
      {ordered.map((means, index) => (
        <li key={means}>
          <button
            type="button"
            class={index === 0 ? 'button primary' : 'button'}
            onClick={() => freshLogin(means)}
          >
            {it(MEANS_LABEL[means])}
          </button>
        </li>
      ))}
    </ul>
  );
}

const FAILURE_TEXT: Readonly<Record<Exclude<ConnectionFailure, 'other'>, IdentityMessageKey>> = {
  expired: 'connect.error.expired',
  'same-account': 'connect.error.sameAccount',
  refused: 'connect.error.refused',
  'login-again': 'connect.error.loginAgain',
};

function FailureMessage({
  failure,
  reference,
  detail,
}: {
  failure: ConnectionFailure;
  reference: string;
  detail?: string | undefined;
}) {
  const { t } = usePortal();
  const it = useIdentityText();
  const text = failure === 'other' ? (detail ?? t('problem.500')) : it(FAILURE_TEXT[failure], { reference });
  return (
    <div class="error-summary" role="alert" data-testid="connect-failure" data-failure={failure}>
      <h2>{t('problem.summary')}</h2>
      <p>{text}</p>
    </div>
  );
}

function Connected({ result }: { result: ConnectionResult }) {
  const it = useIdentityText();
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={it('connect.doneHeading')}>{it('connect.doneHeading')}</PageHeading>
      <StatusMessage message={it('connect.done')} />
      <IdentityTable identities={result.identities} caption={it('connect.done')} />
      <p>{it('connect.mail')}</p>
      <p class="actions">
        <Link href={pathFor('profile')} class="button primary">
          {it('connect.toProfile')}
        </Link>{' '}
        <Link href={pathFor('activity')} class="button">
          {it('nav.activity')}
        </Link>
      </p>
    </section>
  );
}

/**
 * Artillery helpers for deployed-stage.yml:
 * - `logIn`: a native login of the line's test account (native-login.cjs), timed as
 *   `native_login.response_time` with `native_login.ok` / `native_login.failed` counters; the access
 *   token lands in `accessToken` and is kept for the account's later scenarios in this worker;
 * - `useSession`: the account's kept token while it is valid for 5 more minutes, else `logIn`;
 * - `notDecided`: keep retrying the decision while the workflow has not stored its task token yet
 *   (409), stop once the decision was accepted (its answer carries `decision`; a problem document
 *   does not).
 *
 * Environment (load.env): USER_POOL_ID, NATIVE_CLIENT_ID, and COGNITO_ENDPOINT only for a pool that
 * is not AWS's (the sandbox's `/local/aws/cognito-idp`).
 */
const { accountOf, nativeLogin } = require('./native-login.cjs');

/** Tokens by username, valid until `expiresAt` (ms). */
const sessions = new Map();
const SESSION_MARGIN_MS = 5 * 60_000;

function logIn(context, events, next) {
  const account = accountOf(context.vars);
  const started = Date.now();
  nativeLogin({
    userPoolId: process.env.USER_POOL_ID,
    clientId: process.env.NATIVE_CLIENT_ID,
    ...(process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {}),
    account,
  }).then(
    (tokens) => {
      events.emit('histogram', 'native_login.response_time', Date.now() - started);
      events.emit('counter', 'native_login.ok', 1);
      sessions.set(account.username, tokens);
      context.vars.accessToken = tokens.accessToken;
      next();
    },
    (error) => {
      events.emit('counter', 'native_login.failed', 1);
      next(error);
    },
  );
}

function useSession(context, events, next) {
  const kept = sessions.get(String(context.vars.username ?? ''));
  if (kept && kept.expiresAt - Date.now() > SESSION_MARGIN_MS) {
    context.vars.accessToken = kept.accessToken;
    return next();
  }
  return logIn(context, events, next);
}

function notDecided(context, next) {
  return next(context.vars.decided === undefined);
}

module.exports = { logIn, notDecided, useSession };

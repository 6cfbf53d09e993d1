/**
 * Artillery helpers for deployed-stage.yml:
 * - `logIn`: a native login of the line's test account (native-login.cjs), timed as
 *   `native_login.response_time` with `native_login.ok` / `native_login.failed` counters; the access
 *   token lands in `accessToken` and is kept for the account's later scenarios in this worker;
 * - `useSession`: the account's kept token while it is valid for 5 more minutes, else `logIn`;
 * - `walletLogIn`: a federated login with the EU Digital Identity Wallet of a synthetic person
 *   (dist/wallet-login.cjs, built by `npm run load:bundle` from wallet-login.ts), timed as
 *   `wallet_login.response_time` with `wallet_login.ok` / `wallet_login.failed`; skipped (counted as
 *   `wallet_login.skipped`) when load.env names no HOSTED_LOGIN_URL;
 * - `decisionWanted` (ifTrue) and `notDecided` (a loop's `whileTrue`): decide the right request this
 *   scenario made (none when the account's earlier one was still open: 409); keep retrying while the
 *   workflow has not stored its task token yet (409), stop once the decision was accepted (its
 *   answer carries `decision`; a problem document does not) or after {@link MAX_DECISION_ATTEMPTS}
 *   rounds — Artillery ignores a loop's `count` when it has `whileTrue`, and runs the first round
 *   always;
 * - `companyOfLine`: the enterprise number of the company the line's person claims
 *   (`enterpriseNumber`, from `insz` and `LOAD_RUN`, load-companies.cjs), nothing without `insz`;
 * - `bisApplicationFromProfile` (afterResponse of `GET /me` with the eIDAS test identity's token):
 *   the BIS application as that identity (`bisApplication`): the names and birth date must be the
 *   eIDAS identity's, so they come from its profile, with the line's e-mail;
 * - `hasBisApplication` (ifTrue): there is an application to send;
 * - `withBisApplication` (beforeRequest): sends `bisApplication` as the JSON body;
 * - `bisDecisionWanted` (ifTrue) and `bisNotDecided` (whileTrue): the BIS agent's decision like the
 *   right request's, only for a registration of this scenario and with an `AGENT_TOKEN`.
 *
 * Environment (load.env): USER_POOL_ID, NATIVE_CLIENT_ID, and COGNITO_ENDPOINT only for a pool that
 * is not AWS's (the sandbox's `/local/aws/cognito-idp`); LOAD_RUN (load-companies.cjs); AGENT_TOKEN
 * for the BIS decisions; HOSTED_LOGIN_URL, WALLET_CLIENT_ID, WALLET_REDIRECT_URI, PID_PROVIDER_FILE
 * and WALLET_PEOPLE for the wallet logins (wallet-login.ts).
 */
const { resolve } = require('node:path');
const { loadCompanyOf } = require('./load-companies.cjs');
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

/** Decision attempts per request: 409s for about 10 seconds (with the scenario's think times). */
const MAX_DECISION_ATTEMPTS = 5;

/** Artillery's loop counter after a round (`$loopCount`, rounds done). */
function roundsDone(vars) {
  return typeof vars.$loopCount === 'number' ? vars.$loopCount : 0;
}

function decisionWanted(vars) {
  return typeof vars.requestId === 'string' && vars.requestId !== '' && vars.decided === undefined;
}

/** The wallet login bundle, loaded at the first wallet login (it is 1 MB). */
let walletBundle;

function walletLogIn(context, events, next) {
  if (!process.env.HOSTED_LOGIN_URL) {
    events.emit('counter', 'wallet_login.skipped', 1);
    return next();
  }
  try {
    walletBundle ??= require('./dist/wallet-login.cjs');
  } catch {
    events.emit('counter', 'wallet_login.failed', 1);
    return next(new Error('wallet logins need the bundle: npm run load:bundle'));
  }
  const started = Date.now();
  // The provider file lies next to the scenario file (shipped to Fargate by `includeFiles`).
  const file = process.env.PID_PROVIDER_FILE;
  const environment = { ...process.env, ...(file ? { PID_PROVIDER_FILE: resolve(__dirname, file) } : {}) };
  walletBundle.walletLoginFromEnvironment(environment).then(
    (tokens) => {
      events.emit('histogram', 'wallet_login.response_time', Date.now() - started);
      events.emit('counter', 'wallet_login.ok', 1);
      context.vars.walletAccessToken = tokens.accessToken;
      next();
    },
    (error) => {
      events.emit('counter', 'wallet_login.failed', 1);
      next(error);
    },
  );
}

function notDecided(context, next) {
  return next(decisionWanted(context.vars) && roundsDone(context.vars) < MAX_DECISION_ATTEMPTS);
}

function companyOfLine(context, _events, next) {
  const insz = String(context.vars.insz ?? '').trim();
  if (insz !== '') context.vars.enterpriseNumber = loadCompanyOf(insz, process.env.LOAD_RUN).enterpriseNumber;
  return next();
}

/** Where the BIS applicant lives and how to reach them, when the eIDAS profile has no address. */
const TEST_ADDRESS = {
  street: 'Rue de la Loi',
  houseNumber: '16',
  postalCode: '1000',
  city: 'Brussels',
  country: 'BE',
};

/** The profile's complete address, or the test address. */
function addressOf(profile) {
  const address = profile.address ?? {};
  const complete = ['street', 'houseNumber', 'postalCode', 'city', 'country'].every(
    (field) => typeof address[field] === 'string' && address[field] !== '',
  );
  return complete ? address : TEST_ADDRESS;
}

/**
 * A BIS application as the eIDAS identity `profile` (`GET /me`): its names and birth date (the API
 * refuses others), its sex, nationality and place of birth where the eIDAS node gave them, else test
 * values; the line's e-mail. `undefined` when the profile lacks names or a birth date.
 */
function bisApplicationOf(profile, email) {
  if (!profile || typeof profile.givenNames !== 'string' || typeof profile.familyName !== 'string') return;
  if (typeof profile.birthDate !== 'string') return;
  return {
    givenNames: profile.givenNames,
    familyName: profile.familyName,
    birthDate: profile.birthDate,
    ...(profile.sex === 'M' || profile.sex === 'F' ? { sex: profile.sex } : {}),
    nationality: typeof profile.nationality === 'string' ? profile.nationality : 'DE',
    placeOfBirth: typeof profile.placeOfBirth === 'string' ? profile.placeOfBirth : 'Köln',
    address: addressOf(profile),
    email,
    phone: '+32 470 12 34 56',
  };
}

function bisApplicationFromProfile(_request, response, context, _events, next) {
  delete context.vars.bisApplication;
  if (response.statusCode === 200) {
    let profile;
    try {
      profile = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
    } catch {
      profile = undefined;
    }
    const application = bisApplicationOf(profile, String(context.vars.email ?? ''));
    if (application) context.vars.bisApplication = application;
  }
  return next();
}

function hasBisApplication(vars) {
  return vars.bisApplication !== undefined;
}

function withBisApplication(request, context, _events, next) {
  request.json = context.vars.bisApplication;
  return next();
}

function bisDecisionWanted(vars) {
  return (
    Boolean(process.env.AGENT_TOKEN) &&
    typeof vars.registrationId === 'string' &&
    vars.registrationId !== '' &&
    vars.bisDecided === undefined
  );
}

function bisNotDecided(context, next) {
  return next(bisDecisionWanted(context.vars) && roundsDone(context.vars) < MAX_DECISION_ATTEMPTS);
}

module.exports = {
  bisApplicationFromProfile,
  bisApplicationOf,
  bisDecisionWanted,
  bisNotDecided,
  companyOfLine,
  decisionWanted,
  hasBisApplication,
  logIn,
  MAX_DECISION_ATTEMPTS,
  notDecided,
  useSession,
  walletLogIn,
  withBisApplication,
};

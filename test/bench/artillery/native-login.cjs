/**
 * The login step of deployed-stage.yml: a registration-office (native) test account signs in through
 * the Cognito Identity Provider API exactly as the portal does — `CUSTOM_AUTH` started with SRP
 * (amazon-cognito-identity-js), then the second factor Cognito asks: the authenticator app's code
 * (RFC 6238, from the account's secret) or a position of the code card. No IdP is scripted: a real
 * login through Cognito's API, its triggers (define/create/verify auth challenge, pre token
 * generation) and its quotas, with tokens the API accepts.
 *
 * Plain CommonJS with one dependency (already a devDependency), so that `artillery run-fargate`
 * ships it as it is. Tested against the sandbox's Cognito (test/e2e/sandbox-native.test.ts).
 */
const { createHmac } = require('node:crypto');
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');

const STEP_MS = 30_000;

/** RFC 6238: HMAC-SHA1, 30-second steps, 6 digits; `secretBase32` as Cognito's AssociateSoftwareToken gives it. */
function totpCode(secretBase32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secretBase32.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error('the TOTP secret is not base32');
    bits += value.toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * The TOTP step each account used last in this process. Cognito accepts a code once, from the
 * current step or the next, so a second login of the same account within 30 seconds takes the next
 * step, and a third waits for it (load-test accounts should outnumber the logins per 30 seconds).
 */
const lastSteps = new Map();

/** Records that `username` used `step` elsewhere (a test that logged the account in itself). */
function rememberTotpStep(username, step) {
  lastSteps.set(username, Math.max(step, lastSteps.get(username) ?? Number.NEGATIVE_INFINITY));
}

/** The step to answer with now, after waiting when the account used up this one and the next. */
async function takeTotpStep(username, now) {
  const current = Math.floor(now() / STEP_MS);
  const step = Math.max(current, (lastSteps.get(username) ?? Number.NEGATIVE_INFINITY) + 1);
  lastSteps.set(username, step);
  // Cognito accepts the next step's code at most: wait until `step` is the next one.
  const waitMs = (step - 1) * STEP_MS - now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs + 50));
  return step;
}

/** One amazon-cognito-identity-js call as a promise of the callback it ended in. */
function outcomeOf(start) {
  return new Promise((resolve) => {
    start({
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: (error) => resolve({ kind: 'failure', error }),
      newPasswordRequired: () => resolve({ kind: 'newPasswordRequired' }),
      mfaSetup: () => resolve({ kind: 'mfaSetup' }),
      totpRequired: () => resolve({ kind: 'totpRequired' }),
      customChallenge: (parameters) => resolve({ kind: 'customChallenge', parameters }),
    });
  });
}

/**
 * Signs `account` in and answers its second factor.
 *
 * @param {object} options
 * @param {string} options.userPoolId e.g. `eu-west-1_AbC123` (stack output `…UserPoolId`)
 * @param {string} options.clientId the native app client (`…NativeClientId`)
 * @param {string} [options.endpoint] Cognito IdP endpoint; @default the region's, from the pool id
 * @param {{ username: string, password: string, totpSecret?: string, codeCard?: string[] }} options.account
 *   an activated account with an authenticator app (`totpSecret`) or its 24 card codes (`codeCard`)
 * @param {() => number} [options.now]
 * @returns {Promise<{ accessToken: string, idToken: string, expiresAt: number }>}
 * @throws Error naming the step that failed (never the password, a code or a token)
 */
async function nativeLogin({ userPoolId, clientId, endpoint, account, now = Date.now }) {
  const pool = new CognitoUserPool({
    UserPoolId: userPoolId,
    ClientId: clientId,
    ...(endpoint ? { endpoint } : {}),
  });
  const user = new CognitoUser({ Username: account.username, Pool: pool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const details = new AuthenticationDetails({ Username: account.username, Password: account.password });
  let outcome = await outcomeOf((callbacks) => user.authenticateUser(details, callbacks));
  if (outcome.kind === 'totpRequired') {
    if (!account.totpSecret) throw new Error(`${account.username}: Cognito asks a TOTP code, no totpSecret`);
    const step = await takeTotpStep(account.username, now);
    const code = totpCode(account.totpSecret, step);
    outcome = await outcomeOf((callbacks) => user.sendMFACode(code, callbacks, 'SOFTWARE_TOKEN_MFA'));
  } else if (outcome.kind === 'customChallenge') {
    const code = account.codeCard?.[Number(outcome.parameters.position) - 1];
    if (!code) throw new Error(`${account.username}: Cognito asks a code card position, no codeCard`);
    outcome = await outcomeOf((callbacks) => user.sendCustomChallengeAnswer(code, callbacks));
  }
  if (outcome.kind === 'failure') {
    throw new Error(`${account.username}: login refused (${outcome.error?.code ?? outcome.error?.name})`);
  }
  if (outcome.kind !== 'success') {
    // A first login (new password) or an account without a second factor: activate it beforehand.
    throw new Error(`${account.username}: Cognito asks ${outcome.kind}; activate the account first`);
  }
  const access = outcome.session.getAccessToken();
  return {
    accessToken: access.getJwtToken(),
    idToken: outcome.session.getIdToken().getJwtToken(),
    expiresAt: access.getExpiration() * 1000,
  };
}

/** The account of a users.csv line: `codeCard` is its 24 codes separated by spaces. */
function accountOf(vars) {
  const codeCard =
    typeof vars.codeCard === 'string' && vars.codeCard.trim() ? vars.codeCard.trim().split(/\s+/) : [];
  return {
    username: String(vars.username ?? ''),
    password: String(vars.password ?? ''),
    ...(vars.totpSecret ? { totpSecret: String(vars.totpSecret) } : {}),
    ...(codeCard.length > 0 ? { codeCard } : {}),
  };
}

module.exports = { accountOf, nativeLogin, rememberTotpStep, totpCode };

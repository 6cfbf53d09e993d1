/**
 * Shared set-up of the native-user tests: the local pool served over a real node:http server, the
 * AWS SDK for admin calls, amazon-cognito-identity-js (a real SRP client) for sign-in, an independent
 * TOTP generator, and fake code-card triggers (define/create/verify) with the platform's semantics.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  type AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import {
  type AppClientConfig,
  COGNITO_IDP_PATH,
  LocalCognito,
  type LocalCognitoOptions,
  type LocalCognitoTriggers,
} from '#local/cognito/index';
import { localCredentials } from '#local/dynamodb-local';
import { perFile } from '#test/helpers/per-file';

export const POOL_ID = 'eu-west-1_sandbox';

export const PORTAL: AppClientConfig = {
  clientId: 'portal-native-0123456789',
  name: 'portal',
  callbackUrls: ['http://127.0.0.1:5173/callback'],
  logoutUrls: ['http://127.0.0.1:5173/'],
  explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
};

/** The temporary password the tests' officer-made users start with. */
export const TEMPORARY = 'Temporary-Pass-123';

/** A password that meets the deployed policy. */
export const strongPassword = (): string => `Strong-${randomUUID().slice(0, 8)}-Pw1`;

/** A pool on a real server, with a movable clock. */
export interface RunningPool {
  pool: LocalCognito;
  endpoint: string;
  admin: CognitoIdentityProviderClient;
  clock: { now: number };
  /** Every event the triggers received (copies). */
  events: {
    define: DefineAuthChallengeTriggerEvent[];
    create: CreateAuthChallengeTriggerEvent[];
    verify: VerifyAuthChallengeResponseTriggerEvent[];
    preTokenGeneration: PreTokenGenerationV2TriggerEvent[];
  };
  close(): Promise<void>;
}

/** The codes of each user's card (position 1..24). */
export const codeCards = new Map<string, string[]>();

/** A fresh card of 24 six-digit codes for a user. */
export function issueCodeCard(username: string): string[] {
  const card = Array.from({ length: 24 }, (_, index) =>
    String((index * 7919 + username.length * 104729) % 1_000_000).padStart(6, '0'),
  );
  codeCards.set(username.toLowerCase(), card);
  return card;
}

/**
 * Fake code-card triggers: SRP_A → PASSWORD_VERIFIER → CUSTOM_CHALLENGE (a card position) → tokens
 * on the right code, another position after a wrong one, failure after 3 wrong codes.
 */
export function codeCardTriggers(
  events: RunningPool['events'],
): Pick<LocalCognitoTriggers, 'defineAuthChallenge' | 'createAuthChallenge' | 'verifyAuthChallengeResponse'> {
  return {
    defineAuthChallenge: async (event) => {
      events.define.push(structuredClone(event));
      const session = event.request.session;
      const last = session.at(-1);
      const wrong = session.filter(
        (entry) => entry.challengeName === 'CUSTOM_CHALLENGE' && !entry.challengeResult,
      );
      if (event.request.userNotFound) {
        event.response = { ...event.response, failAuthentication: true, issueTokens: false };
      } else if (last?.challengeName === 'SRP_A') {
        event.response = {
          challengeName: 'PASSWORD_VERIFIER',
          issueTokens: false,
          failAuthentication: false,
        };
      } else if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
        event.response = { issueTokens: true, failAuthentication: false };
      } else if (wrong.length >= 3) {
        event.response = { issueTokens: false, failAuthentication: true };
      } else if (last?.challengeName === 'PASSWORD_VERIFIER' || last?.challengeName === 'CUSTOM_CHALLENGE') {
        event.response = { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
      } else {
        event.response = { issueTokens: false, failAuthentication: true };
      }
      return event;
    },
    createAuthChallenge: async (event) => {
      events.create.push(structuredClone(event));
      const card = codeCards.get(event.userName.toLowerCase()) ?? [];
      const position = 1 + ((event.request.session.length * 5) % 24);
      event.response = {
        publicChallengeParameters: { position: String(position) },
        privateChallengeParameters: { answer: card[position - 1] ?? 'none' },
        challengeMetadata: `CODE_CARD-${position}`,
      };
      return event;
    },
    verifyAuthChallengeResponse: async (event) => {
      events.verify.push(structuredClone(event));
      event.response = {
        answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer,
      };
      return event;
    },
  };
}

/** A fake pre token generation trigger adding the platform's claims. */
export function claimsTrigger(events: RunningPool['events']): LocalCognitoTriggers['preTokenGeneration'] {
  return async (event) => {
    events.preTokenGeneration.push(structuredClone(event));
    const claims = {
      person_id: `person-${event.request.userAttributes.sub}`,
      idp: 'native',
      loa: 'substantial',
    };
    event.response = {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: claims },
        accessTokenGeneration: { claimsToAddOrOverride: claims },
      },
    };
    return event;
  };
}

/** Starts a pool (fake triggers unless given) on 127.0.0.1:0. */
export async function startPool(
  options: Partial<LocalCognitoOptions> & { triggers?: LocalCognitoTriggers } = {},
): Promise<RunningPool> {
  const clock = { now: Date.now() };
  const events: RunningPool['events'] = { define: [], create: [], verify: [], preTokenGeneration: [] };
  let pool: LocalCognito | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (!pool || !(await pool.handler(req, res))) {
        res.writeHead(404);
        res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = await LocalCognito.create({
    issuerBaseUrl: base,
    poolId: POOL_ID,
    clients: [PORTAL],
    now: () => clock.now,
    triggers: options.triggers ?? { ...codeCardTriggers(events), preTokenGeneration: claimsTrigger(events) },
    ...options,
  });
  const endpoint = `${base}${COGNITO_IDP_PATH}`;
  const admin = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  return {
    pool,
    endpoint,
    admin,
    clock,
    events,
    close: async () => {
      admin.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The pool of a test file: started before its tests (with `options`, as {@link startPool}) and
 * closed after them; its members are read while the tests run.
 */
export function poolPerFile(options: Parameters<typeof startPool>[0] = {}): RunningPool {
  return perFile(
    () => startPool(options),
    (running) => running.close(),
  );
}

/** What an amazon-cognito-identity-js call ended with. */
export type Outcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'failure'; error: Error & { code?: string } }
  | { kind: 'newPasswordRequired'; userAttributes: Record<string, string>; requiredAttributes: string[] }
  | { kind: 'mfaSetup'; parameters: Record<string, string> }
  | { kind: 'totpRequired'; parameters: Record<string, string> }
  | { kind: 'customChallenge'; parameters: Record<string, string> }
  | { kind: 'secretCode'; secretCode: string }
  | { kind: 'other'; name: string };

/** The outcome of the `kind` expected, or a throw naming what came instead (and a failure's message). */
export function expectKind<K extends Outcome['kind']>(
  outcome: Outcome,
  kind: K,
): Extract<Outcome, { kind: K }> {
  if (outcome.kind !== kind) {
    throw new Error(
      `expected ${kind}, got ${outcome.kind}${outcome.kind === 'failure' ? `: ${outcome.error.message}` : ''}`,
    );
  }
  return outcome as Extract<Outcome, { kind: K }>;
}

type Callbacks = Parameters<CognitoUser['authenticateUser']>[1] & {
  associateSecretCode: (secretCode: string) => void;
};

/** Runs one amazon-cognito-identity-js step and resolves with whichever callback it called. */
export function step(run: (callbacks: Callbacks) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    run({
      onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
      onFailure: (error: Error & { code?: string }) => resolve({ kind: 'failure', error }),
      newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
        resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
      mfaSetup: (_name: string, parameters: Record<string, string>) =>
        resolve({ kind: 'mfaSetup', parameters }),
      totpRequired: (_name: string, parameters: Record<string, string>) =>
        resolve({ kind: 'totpRequired', parameters }),
      customChallenge: (parameters: Record<string, string>) =>
        resolve({ kind: 'customChallenge', parameters }),
      mfaRequired: () => resolve({ kind: 'other', name: 'mfaRequired' }),
      selectMFAType: () => resolve({ kind: 'other', name: 'selectMFAType' }),
      associateSecretCode: (secretCode: string) => resolve({ kind: 'secretCode', secretCode }),
    } as Callbacks);
  });
}

/** A CognitoUser of the portal client on the emulator. */
export function cognitoUser(
  running: RunningPool,
  username: string,
  flow: 'USER_SRP_AUTH' | 'CUSTOM_AUTH' = 'USER_SRP_AUTH',
): CognitoUser {
  const userPool = new CognitoUserPool({
    UserPoolId: POOL_ID,
    ClientId: PORTAL.clientId,
    endpoint: running.endpoint,
  });
  const user = new CognitoUser({ Username: username, Pool: userPool });
  user.setAuthenticationFlowType(flow);
  return user;
}

/** `authenticateUser` as a promise. */
export function signIn(user: CognitoUser, details: AuthenticationDetails): Promise<Outcome> {
  return step((callbacks) => user.authenticateUser(details, callbacks));
}

/** RFC 6238 (SHA-1, 30 s, 6 digits), written apart from the emulator's so one checks the other. */
export function totp(secretBase32: string, nowMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secretBase32.replace(/=+$/, ''))
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

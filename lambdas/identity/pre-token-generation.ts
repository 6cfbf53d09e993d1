/**
 * Cognito pre token generation trigger (V2), for every trigger source. An authentication is checked
 * again with the same mapping as pre sign-up (LoA and policy are per login) and resolves, creates or
 * links the person; a refresh reads no identity attribute and follows the identity link. Both put the
 * claims of ARCHITECTURE.md section 2 in the ID and access tokens, and native tokens get the API's
 * scope (ARCHITECTURE.md section 3).
 */

import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { API_SCOPE } from '#shared/http/api-scope';
import { newId } from '#shared/ids';
import type { IdentityProvider } from '#shared/keys';
import { createLogger } from '#shared/logger';
import type { Metrics } from '#shared/metrics';
import { createDocumentClient } from '#shared/table';
import { createMetrics } from '#shared/telemetry';
import { type CustomAttributeName, cognitoAttribute, customAttributes } from './attribute-mapping.ts';
import { buildTokenClaims, type Claims } from './claims.ts';
import { type IdentityConfig, identityConfig, loadTableName } from './config.ts';
import type { LevelOfAssurance } from './federated-identity.ts';
import { type CognitoUser, mapCognitoUser, refreshIdentityOf } from './identity-mapping.ts';
import { recordLogin, recordRefusal, recordTextCleaned } from './login-metrics.ts';
import { createDynamoPersonRepository, type PersonRepository } from './person-repository.ts';
import {
  type LoggerPort,
  type ResolvedPerson,
  resolveNativePerson,
  resolvePerson,
  resolveRefresh,
} from './resolve-person.ts';
import { toTriggerError } from './trigger-errors.ts';

/** Collaborators of the handler; tests replace any of them. */
export interface PreTokenGenerationDeps {
  config: IdentityConfig;
  repository: PersonRepository;
  logger: LoggerPort;
  /** Login metrics (EMF on Lambda). @default none */
  metrics?: Metrics;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Cognito copies every readable user attribute into the ID token. The mapped IdP attributes are
 * personal data (the national number, the foreign PersonIdentifier, address, birth date) that relying
 * applications get from the API when they need them, never from a token: suppress them all.
 */
export const SUPPRESSED_ID_TOKEN_CLAIMS: readonly string[] = (
  Object.keys(customAttributes) as CustomAttributeName[]
).map(cognitoAttribute);

/**
 * Scopes added to a native user's access token. A native sign-in goes through the API (CUSTOM_AUTH on
 * the native client), not OAuth, so Cognito grants only `aws.cognito.signin.user.admin`; the API's
 * scope comes from here (V2 `scopesToAdd`), at sign-in and at every refresh. Federated tokens get the
 * scope only when their client is allowed it and asked for it at the managed login.
 */
export const NATIVE_SCOPES_TO_ADD: readonly string[] = [API_SCOPE];

// @types/aws-lambda types claim values as strings, but V2 accepts arrays (roles, admin_of).
const asClaimMap = (claims: Claims): Record<string, string> => claims as unknown as Record<string, string>;

/** Builds the handler; the Lambda entry point below wires the real table. */
export function createPreTokenGenerationHandler(deps: PreTokenGenerationDeps) {
  const now = deps.now ?? (() => new Date());
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const context = { triggerSource: event.triggerSource };
    try {
      const user = { userName: event.userName, userAttributes: event.request.userAttributes };
      const resolved = await resolveLogin(event.triggerSource, user, deps, now);
      const { person } = resolved;
      const claims = buildTokenClaims({
        personId: person.personId,
        provider: resolved.provider,
        loa: resolved.loa,
        partition: person.partition,
        now: now(),
      });
      deps.logger.info('tokens issued', {
        ...context,
        provider: resolved.provider,
        personId: person.personId,
        outcome: person.outcome,
      });
      if (deps.metrics) {
        recordLogin(deps.metrics, {
          provider: resolved.provider,
          triggerSource: event.triggerSource,
          outcome: person.outcome,
        });
      }
      event.response.claimsAndScopeOverrideDetails = {
        ...event.response.claimsAndScopeOverrideDetails,
        idTokenGeneration: {
          claimsToAddOrOverride: asClaimMap(claims.idToken),
          claimsToSuppress: [...SUPPRESSED_ID_TOKEN_CLAIMS],
        },
        accessTokenGeneration: {
          claimsToAddOrOverride: asClaimMap(claims.accessToken),
          ...(resolved.provider === 'native' ? { scopesToAdd: [...NATIVE_SCOPES_TO_ADD] } : {}),
        },
      };
      return event;
    } catch (error) {
      if (deps.metrics) recordRefusal(deps.metrics, error);
      throw toTriggerError(error, deps.logger, context);
    }
  };
}

/** The person behind a token request, and the provider and LoA its claims name. */
interface ResolvedLogin {
  person: ResolvedPerson;
  provider: IdentityProvider;
  loa: LevelOfAssurance;
}

/**
 * An authentication maps and checks what the IdP asserted now and resolves the person (linking,
 * creating, displacing as the rules say). A refresh takes no identity decision from the user's
 * attributes: the identity link in the table names the person and the LoA (issue 12, item 7).
 */
async function resolveLogin(
  triggerSource: string,
  user: CognitoUser,
  deps: PreTokenGenerationDeps,
  now: () => Date,
): Promise<ResolvedLogin> {
  if (triggerSource === 'TokenGeneration_RefreshTokens') {
    const identity = refreshIdentityOf(user, deps.config);
    const { loa, ...person } = await resolveRefresh(identity, user.userName, deps);
    return { person, provider: identity.provider, loa };
  }
  const identity = mapCognitoUser(user, deps.config);
  // Counted here, at every authentication, not in pre sign-up (first login only, would count twice).
  if (deps.metrics && identity.provider !== 'native') {
    recordTextCleaned(deps.metrics, identity.provider, identity.textCleaned);
  }
  const person =
    identity.provider === 'native'
      ? await resolveNativePerson(identity, deps)
      : await resolvePerson(
          identity,
          { repository: deps.repository, logger: deps.logger, now, newId: deps.newId ?? newId },
          user.userName,
        );
  return { person, provider: identity.provider, loa: identity.loa };
}

/** The Lambda entry point: policy and table from the environment, read once at cold start. */
export const handler = createPreTokenGenerationHandler({
  config: identityConfig,
  repository: createDynamoPersonRepository({
    tableName: loadTableName(),
    documentClient: createDocumentClient(),
  }),
  logger: createLogger(),
  metrics: createMetrics(),
});

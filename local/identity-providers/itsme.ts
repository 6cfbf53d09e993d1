/**
 * The sandbox's local itsme (ARCHITECTURE.md section 6): an OpenID Connect provider with itsme's
 * client-secret behaviour and claim names, and the relying party that plays Cognito's part.
 *
 * Automation: an authorization request with `login_hint=<sub of a registered account>` completes
 * without the interaction page; {@link LocalItsme.federate} uses this for `POST /local/login`.
 */
export { type ItsmeAccount, ItsmeAccounts } from './itsme/accounts.ts';
export {
  BE_NATIONAL_NUMBER_CLAIM,
  ITSME_ACR,
  ITSME_SCOPE_CLAIMS,
  type ItsmeClaims,
  type ItsmeClaimsInput,
  itsmeClaimsSchema,
  parseItsmeClaims,
  serviceScope,
} from './itsme/claims.ts';
export { LocalItsme, type LocalItsmeOptions, type NodeHandler } from './itsme/provider.ts';
export {
  type AuthorizationCallback,
  type AuthorizationRequest,
  type ItsmeFederatedLogin,
  ItsmeLoginError,
  type ItsmeLoginRefusalReason,
  LocalItsmeClient,
  type LocalItsmeClientOptions,
  mapItsmeClaimsToCognito,
  type ProviderFetch,
} from './itsme/relying-party.ts';

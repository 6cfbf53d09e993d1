/**
 * The sandbox's Cognito user pool (ARCHITECTURE.md section 6): federated users, the real triggers,
 * signed tokens and the managed login. See local-cognito.ts and hosted-login.ts.
 */
export {
  LoginRefusedByTrigger,
  OAuthError,
  type OAuthErrorCode,
  type TokenRejectionReason,
  TokenVerificationError,
  type TriggerName,
  triggerFailureMessage,
} from './errors.ts';
export {
  HostedLogin,
  hostedLoginUrls,
  type IdentityProviders,
  type OidcIdentityProvider,
  type SamlIdentityProvider,
} from './hosted-login.ts';
export {
  type AppClientConfig,
  type FederatedSignInInput,
  type FederationResult,
  type IssuedTokens,
  type LinkedIdentity,
  LocalCognito,
  type LocalCognitoOptions,
  type LocalCognitoTriggers,
  type LocalUser,
  type ProviderName,
  type ProviderType,
  type VerifiedClaims,
} from './local-cognito.ts';
export { type ClaimValue, isProtectedClaim, PROTECTED_CLAIMS, type TokenClaims } from './token-claims.ts';
export {
  InvalidLambdaResponseError,
  type PostConfirmationTrigger,
  type PreSignUpTrigger,
  type PreTokenGenerationTrigger,
} from './trigger-events.ts';

/**
 * The sandbox's Cognito user pool (ARCHITECTURE.md section 6): federated users, the real triggers,
 * signed tokens and the managed login. See local-cognito.ts and hosted-login.ts.
 */
export {
  CognitoIdpError,
  type CognitoIdpErrorType,
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
export { COGNITO_IDP_PATH } from './idp-endpoint.ts';
export { LocalCognito, type LocalCognitoOptions } from './local-cognito.ts';
export {
  type AppClientConfig,
  DEFAULT_AUTH_FLOWS,
  DEPLOYED_PASSWORD_POLICY,
  type ExplicitAuthFlow,
  type FederatedSignInInput,
  type FederationResult,
  type IssuedTokens,
  type LinkedIdentity,
  type LocalCognitoTriggers,
  type LocalUser,
  type MfaConfiguration,
  type PasswordPolicy,
  type ProviderName,
  type ProviderType,
  type VerifiedClaims,
} from './pool-model.ts';
export {
  type ClientNativeSettings,
  clientNativeSettings,
  type PoolNativeSettings,
  poolNativeSettings,
  type SamlProviderSettings,
  samlProviderSettings,
} from './template-settings.ts';
export { type ClaimValue, isProtectedClaim, PROTECTED_CLAIMS, type TokenClaims } from './token-claims.ts';
export {
  ADMIN_CALLER_CLIENT_ID,
  type ChallengeResultEntry,
  type CreateAuthChallengeTrigger,
  type DefineAuthChallengeTrigger,
  InvalidLambdaResponseError,
  type PostConfirmationTrigger,
  type PreSignUpTrigger,
  type PreTokenGenerationTrigger,
  type VerifyAuthChallengeResponseTrigger,
} from './trigger-events.ts';

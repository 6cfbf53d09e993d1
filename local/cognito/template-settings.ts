/**
 * The native-user settings of the pool and its app clients, read from the synthesized
 * CloudFormation properties (`AWS::Cognito::UserPool`, `AWS::Cognito::UserPoolClient`), so the
 * sandbox runs the deployed configuration: MFA, password policy, auth flows, session validity, user
 * existence errors, the attributes a client may write, the IdPs it offers and refresh-token rotation.
 * Absent properties get Cognito's defaults.
 */
import {
  type AppClientConfig,
  DEFAULT_AUTH_FLOWS,
  type ExplicitAuthFlow,
  type MfaConfiguration,
  type PasswordPolicy,
} from './pool-model.ts';

/** The `LocalCognitoOptions` a user pool's properties imply. */
export interface PoolNativeSettings {
  mfaConfiguration: MfaConfiguration;
  passwordPolicy: PasswordPolicy;
}

/** The {@link AppClientConfig} fields an app client's properties imply. */
export type ClientNativeSettings = Required<
  Pick<AppClientConfig, 'explicitAuthFlows' | 'authSessionValiditySeconds' | 'preventUserExistenceErrors'>
> &
  Pick<AppClientConfig, 'writeAttributes' | 'supportedIdentityProviders' | 'refreshTokenRotation'>;

const FLOWS: readonly ExplicitAuthFlow[] = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_USER_AUTH',
];

/** From `AWS::Cognito::UserPool` properties (`MfaConfiguration`, `Policies.PasswordPolicy`). */
export function poolNativeSettings(properties: Record<string, unknown>): PoolNativeSettings {
  const mfa = properties.MfaConfiguration;
  const policy = ((properties.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)
    ?.PasswordPolicy ?? {}) as Record<string, unknown>;
  const flag = (name: string, fallback: boolean) =>
    typeof policy[name] === 'boolean' ? (policy[name] as boolean) : fallback;
  const number = (name: string, fallback: number) =>
    typeof policy[name] === 'number' ? (policy[name] as number) : fallback;
  return {
    mfaConfiguration: mfa === 'ON' || mfa === 'OPTIONAL' ? mfa : 'OFF',
    // Cognito's defaults when the template says nothing: 8 characters, every class, 7 days.
    passwordPolicy: {
      minimumLength: number('MinimumLength', 8),
      requireLowercase: flag('RequireLowercase', true),
      requireUppercase: flag('RequireUppercase', true),
      requireNumbers: flag('RequireNumbers', true),
      requireSymbols: flag('RequireSymbols', true),
      temporaryPasswordValidityDays: number('TemporaryPasswordValidityDays', 7),
    },
  };
}

/** From `AWS::Cognito::UserPoolClient` properties. */
export function clientNativeSettings(properties: Record<string, unknown>): ClientNativeSettings {
  const flows = properties.ExplicitAuthFlows;
  const minutes = properties.AuthSessionValidity;
  return {
    explicitAuthFlows: Array.isArray(flows)
      ? flows.filter((flow): flow is ExplicitAuthFlow => FLOWS.includes(flow as ExplicitAuthFlow))
      : [...DEFAULT_AUTH_FLOWS],
    authSessionValiditySeconds: typeof minutes === 'number' ? minutes * 60 : 180,
    // CloudFormation's default for new clients is ENABLED.
    preventUserExistenceErrors: properties.PreventUserExistenceErrors !== 'LEGACY',
    // Absent: Cognito lets the client write every attribute.
    ...(Array.isArray(properties.WriteAttributes)
      ? { writeAttributes: strings(properties.WriteAttributes) }
      : {}),
    ...(Array.isArray(properties.SupportedIdentityProviders)
      ? { supportedIdentityProviders: strings(properties.SupportedIdentityProviders) }
      : {}),
    ...refreshTokenRotation(properties.RefreshTokenRotation),
  };
}

/** `RefreshTokenRotation` `{ Feature: ENABLED, RetryGracePeriodSeconds }`; absent or DISABLED: none. */
function refreshTokenRotation(value: unknown): Pick<AppClientConfig, 'refreshTokenRotation'> {
  const rotation = (value ?? {}) as { Feature?: unknown; RetryGracePeriodSeconds?: unknown };
  if (rotation.Feature !== 'ENABLED') return {};
  const grace = rotation.RetryGracePeriodSeconds;
  // AWS documents no default for the grace period; 0 is the value that turns it off.
  return { refreshTokenRotation: { retryGracePeriodSeconds: typeof grace === 'number' ? grace : 0 } };
}

const strings = (values: unknown[]): string[] =>
  values.filter((value): value is string => typeof value === 'string');

/**
 * What a SAML identity provider's `ProviderDetails` (`AWS::Cognito::UserPoolIdentityProvider`,
 * `ProviderType: SAML`) ask of the pool as a service provider.
 */
export interface SamlProviderSettings {
  /** `RequestSigningAlgorithm: rsa-sha256`: the pool signs its AuthnRequests. */
  signRequests: boolean;
  /** `EncryptedResponses: true`: the pool accepts encrypted assertions only. */
  encryptedResponses: boolean;
}

/**
 * From a SAML provider's properties. Absent or other values: Cognito's defaults (no request
 * signing, plaintext assertions). CloudFormation keeps `ProviderDetails` values as strings, so
 * `"true"` counts like `true`.
 */
export function samlProviderSettings(properties: Record<string, unknown>): SamlProviderSettings {
  const details = (properties.ProviderDetails ?? {}) as Record<string, unknown>;
  const algorithm = details.RequestSigningAlgorithm;
  const encrypted = details.EncryptedResponses;
  return {
    signRequests: typeof algorithm === 'string' && algorithm.toLowerCase() === 'rsa-sha256',
    encryptedResponses: encrypted === true || encrypted === 'true',
  };
}

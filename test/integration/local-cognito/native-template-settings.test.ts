import { describe, expect, it } from 'vitest';
import { clientNativeSettings, DEFAULT_AUTH_FLOWS, poolNativeSettings } from '#local/cognito/index';

describe('native settings from the template', () => {
  it('reads MFA and the password policy when the pool sets them as CDK renders lib/constructs/identity.ts', () => {
    const settings = poolNativeSettings({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          RequireUppercase: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
    });
    expect(settings).toEqual({
      mfaConfiguration: 'OPTIONAL',
      passwordPolicy: {
        minimumLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: false,
        temporaryPasswordValidityDays: 7,
      },
    });
  });

  it("falls back to Cognito's defaults when the pool says nothing", () => {
    expect(poolNativeSettings({})).toEqual({
      mfaConfiguration: 'OFF',
      passwordPolicy: {
        minimumLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 7,
      },
    });
  });

  it('reads the auth flows, the session validity in minutes and LEGACY user existence errors of a client', () => {
    expect(
      clientNativeSettings({
        ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AuthSessionValidity: 3,
        PreventUserExistenceErrors: 'LEGACY',
      }),
    ).toEqual({
      explicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      authSessionValiditySeconds: 180,
      preventUserExistenceErrors: false,
    });
    expect(clientNativeSettings({ PreventUserExistenceErrors: 'ENABLED' })).toEqual({
      explicitAuthFlows: [...DEFAULT_AUTH_FLOWS],
      authSessionValiditySeconds: 180,
      preventUserExistenceErrors: true,
    });
  });

  it('reads the write attributes and identity providers a client names, and leaves both open when it names none', () => {
    const native = clientNativeSettings({
      WriteAttributes: ['locale'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(native.writeAttributes).toEqual(['locale']);
    expect(native.supportedIdentityProviders).toEqual(['COGNITO']);

    const federated = clientNativeSettings({ SupportedIdentityProviders: ['eIDAS', 'itsme', 'EUDIWallet'] });
    expect(federated).not.toHaveProperty('writeAttributes');
    expect(federated.supportedIdentityProviders).toEqual(['eIDAS', 'itsme', 'EUDIWallet']);
  });
});

import { describe, expect, it } from 'vitest';
import { mapEudiIdentity, NO_ADMINISTRATIVE_NUMBER_MESSAGE } from '#identity/eudi-mapping';
import { mapCognitoUser } from '#identity/identity-mapping';
import { INVALID_INSZ, VALID_INSZ } from '#test/helpers/cognito-events';
import { refusal } from '#test/helpers/login-refusal';

function pidAttributes(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const attributes: Record<string, string | undefined> = {
    'custom:given_name': 'An',
    'custom:family_name': 'Peeters',
    'custom:birth_date': '1985-07-30',
    'custom:nationality': 'BE,NL',
    'custom:pid_country': 'BE',
    'custom:pid_admin_number': VALID_INSZ,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}

describe('mapEudiIdentity', () => {
  it('maps a Belgian PID with a valid national number to an eudi identity at level high with its INSZ', () => {
    expect(mapEudiIdentity(pidAttributes())).toEqual({
      provider: 'eudi',
      subject: `BE/${VALID_INSZ}`,
      loa: 'high',
      insz: VALID_INSZ,
      profile: { givenNames: 'An', familyName: 'Peeters', birthDate: '1985-07-30', nationality: 'BE' },
    });
  });

  it('links no INSZ when the PID is issued by another member state', () => {
    const identity = mapEudiIdentity(
      pidAttributes({ 'custom:pid_country': 'NL', 'custom:pid_admin_number': VALID_INSZ }),
    );
    expect(identity.subject).toBe(`NL/${VALID_INSZ}`);
    expect(identity).not.toHaveProperty('insz');
  });

  it('links no INSZ when a Belgian number is not a valid national number', () => {
    const identity = mapEudiIdentity(pidAttributes({ 'custom:pid_admin_number': INVALID_INSZ }));
    expect(identity.subject).toBe(`BE/${INVALID_INSZ}`);
    expect(identity).not.toHaveProperty('insz');
  });

  it('refuses a PID without a personal administrative number with an actionable message', () => {
    const error = refusal(() => mapEudiIdentity(pidAttributes({ 'custom:pid_admin_number': undefined })));
    expect(error.reason).toBe('missing-attribute');
    expect(error.message).toBe(NO_ADMINISTRATIVE_NUMBER_MESSAGE);
  });

  it('refuses a PID without a family name', () => {
    expect(refusal(() => mapEudiIdentity(pidAttributes({ 'custom:family_name': undefined }))).reason).toBe(
      'missing-attribute',
    );
  });

  it('refuses an unreadable birth date', () => {
    expect(refusal(() => mapEudiIdentity(pidAttributes({ 'custom:birth_date': '1985-02-30' }))).reason).toBe(
      'invalid-attribute',
    );
  });

  it('is chosen for users of the EUDIWallet provider', () => {
    const identity = mapCognitoUser(
      { userName: `EUDIWallet_BE/${VALID_INSZ}`, userAttributes: pidAttributes() },
      { refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'substantial' } as never,
    );
    expect(identity.provider).toBe('eudi');
  });
});

/**
 * A verified PID → the claims of the bridge's ID token and userinfo, which Cognito maps onto the
 * user (attribute-mapping.ts `eudiAttributeMapping`).
 *
 * Subject rule (ARCHITECTURE.md section 2a): `<issuing_country>/<personal_administrative_number>`,
 * stable across PID renewals of the same member state. A PID without a personal administrative
 * number is refused with `no-administrative-number`: no other PID attribute identifies a person
 * stably (names and birth dates are shared and change), and a login must land on the same person
 * next time. Such a person logs in with itsme or eIDAS, or registers at a local office.
 */
import { PresentationRefusedError } from './errors.ts';

/** The ID token claims of a wallet login (besides iss, aud, exp, iat, nonce). */
export interface PidTokenClaims {
  sub: string;
  given_name: string;
  family_name: string;
  birthdate: string;
  issuing_country: string;
  personal_administrative_number: string;
  /** Alpha-2 codes, comma separated (Cognito attributes are strings). */
  nationalities?: string;
}

/** Maps the disclosed PID claims; see the module comment. */
export function pidTokenClaims(claims: Record<string, unknown>): PidTokenClaims {
  const text = (name: string): string | undefined => {
    const value = claims[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const country = text('issuing_country')?.toUpperCase();
  if (!country || !/^[A-Z]{2}$/.test(country)) {
    throw new PresentationRefusedError('missing-claim', 'The PID has no readable issuing country.');
  }
  const number = text('personal_administrative_number');
  if (!number) {
    throw new PresentationRefusedError(
      'no-administrative-number',
      'The PID has no personal administrative number.',
    );
  }
  const givenName = text('given_name');
  const familyName = text('family_name');
  const birthdate = text('birthdate');
  if (!givenName || !familyName || !birthdate) {
    throw new PresentationRefusedError('missing-claim', 'The PID lacks names or birth date.');
  }
  const nationalities = Array.isArray(claims.nationalities)
    ? claims.nationalities.filter(
        (code): code is string => typeof code === 'string' && /^[A-Za-z]{2}$/.test(code),
      )
    : [];
  return {
    sub: `${country}/${number}`,
    given_name: givenName,
    family_name: familyName,
    birthdate,
    issuing_country: country,
    personal_administrative_number: number,
    ...(nationalities.length > 0
      ? { nationalities: nationalities.map((code) => code.toUpperCase()).join(',') }
      : {}),
  };
}

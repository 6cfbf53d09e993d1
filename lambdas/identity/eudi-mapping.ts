/**
 * EU Digital Identity Wallet PID claims (as the wallet bridge's ID token carries them and Cognito maps
 * them, see attribute-mapping.ts `eudiAttributeMapping`) → a checked {@link FederatedIdentity}.
 * Pure: no I/O, no clock. The bridge has already verified the PID (issuer chain, key binding,
 * validity, status); this is the second gate, in the triggers, like the other providers' mappings.
 *
 * Policy decisions (ARCHITECTURE.md section 2a):
 * - Subject: `<issuing_country>/<personal_administrative_number>`. A PID without a personal
 *   administrative number is refused with an actionable message (log in with itsme or eIDAS, or
 *   register at an office): no other PID attribute identifies a person stably, and names plus birth
 *   date are knowledge, not proof (the bridge refuses such PIDs first; this keeps the rule if a
 *   differently configured bridge let one through).
 * - Names and birth date are mandatory, as for every provider.
 * - `insz` only for a Belgian PID (`issuing_country` BE) whose number is a valid INSZ: the identity
 *   model records that link with evidence `eudi-pid`. A Belgian number that is not a valid INSZ is
 *   kept as the subject but never linked: the PID rulebook does not promise the number is the INSZ.
 * - Every wallet login carries LoA `high` (the PID is issued at eIDAS level high).
 */
import { parseInsz } from '#shared/belgian-ids';
import { LoginRefusedError } from '#shared/errors';
import {
  type AttributeMap,
  compact,
  type FederatedIdentity,
  parseCountryCode,
  parseIsoDate,
  readAttribute,
  requireAttribute,
  unreadableAttribute,
} from './federated-identity.ts';

const PROVIDER_LABEL = 'Your EU Digital Identity Wallet';

/** The refusal for a PID without a personal administrative number. */
export const NO_ADMINISTRATIVE_NUMBER_MESSAGE =
  'Your PID carries no personal administrative number, which we need to recognise you next time. ' +
  'Please log in with itsme or eIDAS, or visit a registration office.';

/**
 * Maps and checks the PID claims of a wallet login.
 *
 * @throws LoginRefusedError for a missing subject, name or birth date, or an unreadable birth date.
 */
export function mapEudiIdentity(attributes: AttributeMap): FederatedIdentity {
  const country = parseCountryCode(readAttribute(attributes, 'pid_country'));
  const number = readAttribute(attributes, 'pid_admin_number');
  if (!country) {
    throw new LoginRefusedError(
      'invalid-attribute',
      `${PROVIDER_LABEL} did not share a readable issuing country of your PID. Please try again or log in another way.`,
    );
  }
  if (!number) throw new LoginRefusedError('missing-attribute', NO_ADMINISTRATIVE_NUMBER_MESSAGE);
  const givenNames = requireAttribute(attributes, 'given_name', PROVIDER_LABEL);
  const familyName = requireAttribute(attributes, 'family_name', PROVIDER_LABEL);
  const birthDate = parseIsoDate(requireAttribute(attributes, 'birth_date', PROVIDER_LABEL));
  if (!birthDate) throw unreadableAttribute('birth_date', PROVIDER_LABEL);

  let insz: string | undefined;
  if (country === 'BE') {
    try {
      insz = parseInsz(number).value;
    } catch {
      insz = undefined;
    }
  }
  const nationality = readAttribute(attributes, 'nationality')
    ?.split(',')
    .map((code) => parseCountryCode(code))
    .find((code) => code !== undefined);
  return {
    provider: 'eudi',
    subject: `${country}/${number}`,
    loa: 'high',
    ...(insz ? { insz } : {}),
    profile: compact({ givenNames, familyName, birthDate, nationality }),
  };
}

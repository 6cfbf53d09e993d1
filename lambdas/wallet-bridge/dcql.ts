/**
 * The DCQL query (OpenID4VP 1.0 section 6) the bridge asks the wallet with: one PID, as SD-JWT VC
 * (`urn:eudi:pid:1`, or a national subtype) or as ISO mdoc (`eu.europa.ec.eudi.pid.1`), with the
 * claims a login needs. `claim_sets` prefers the set with the personal administrative number and
 * falls back to the set without it, so that a PID without one gets an answer the bridge can explain
 * (see errors.ts `no-administrative-number`) instead of the wallet finding no matching credential.
 */

/** Credential query ids in the DCQL query and keys of the `vp_token` object. */
export const PID_SD_JWT_QUERY_ID = 'pid';
export const PID_MDOC_QUERY_ID = 'pid_mdoc';

/** The PID's SD-JWT VC type and its national subtypes (`urn:eudi:pid:be:1`). */
export const PID_VCT = 'urn:eudi:pid:1';
export const PID_VCT_PATTERN = /^urn:eudi:pid:(?:[a-z]{2}:)?1$/;
export const PID_DOCTYPE = 'eu.europa.ec.eudi.pid.1';

/** Claims needed to identify the person (SD-JWT VC names). */
export const REQUIRED_PID_CLAIMS = ['family_name', 'given_name', 'birthdate', 'issuing_country'] as const;
/** Claims asked for when the PID has them. */
export const OPTIONAL_PID_CLAIMS = ['personal_administrative_number', 'nationalities'] as const;
/** Every claim the bridge may use; anything else a wallet discloses is dropped. */
export const REQUESTED_PID_CLAIMS: readonly string[] = [...REQUIRED_PID_CLAIMS, ...OPTIONAL_PID_CLAIMS];

/** The mdoc element names of the same claims (PID rulebook, `eu.europa.ec.eudi.pid.1`). */
export const MDOC_ELEMENTS: Record<string, string> = {
  family_name: 'family_name',
  given_name: 'given_name',
  birthdate: 'birth_date',
  issuing_country: 'issuing_country',
  personal_administrative_number: 'personal_administrative_number',
  nationalities: 'nationality',
};

/** The DCQL query of a login. */
export function pidDcqlQuery(options: { mdoc: boolean }) {
  const withNumber = [...REQUIRED_PID_CLAIMS, 'personal_administrative_number'];
  const claimSets = [
    [...withNumber, 'nationalities'],
    withNumber,
    [...REQUIRED_PID_CLAIMS, 'nationalities'],
    [...REQUIRED_PID_CLAIMS],
  ];
  const credentials: unknown[] = [
    {
      id: PID_SD_JWT_QUERY_ID,
      format: 'dc+sd-jwt',
      meta: { vct_values: [PID_VCT] },
      claims: REQUESTED_PID_CLAIMS.map((name) => ({ id: name, path: [name] })),
      claim_sets: claimSets,
    },
  ];
  if (options.mdoc) {
    credentials.push({
      id: PID_MDOC_QUERY_ID,
      format: 'mso_mdoc',
      meta: { doctype_value: PID_DOCTYPE },
      claims: REQUESTED_PID_CLAIMS.map((name) => ({
        id: name,
        path: [PID_DOCTYPE, MDOC_ELEMENTS[name] ?? name],
        intent_to_retain: false,
      })),
      claim_sets: claimSets,
    });
  }
  return {
    credentials,
    ...(options.mdoc
      ? { credential_sets: [{ options: [[PID_SD_JWT_QUERY_ID], [PID_MDOC_QUERY_ID]], required: true }] }
      : {}),
  };
}

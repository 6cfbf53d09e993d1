/**
 * Cognito trigger events as Cognito sends them for federated eIDAS and itsme users, for tests of any
 * context. Every call returns a fresh object: handlers may mutate their event (Cognito expects them
 * to fill `response`).
 *
 * Attributes are the mapped `custom:<name>` attributes of attribute-mapping.ts. Overrides replace
 * attributes; an override of `undefined` removes the attribute (to test a missing one).
 */
import type {
  ClaimsAndScopeOverrideDetails,
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import { PROVIDER_NAMES } from '#identity/attribute-mapping';
import { encodeMultiValued } from '#identity/eidas-mapping';

/** Attribute overrides: a value sets, `undefined` removes. */
export type AttributeOverrides = Record<string, string | undefined>;

/** A valid national number (RRN, 1985-07-30, male). */
export const VALID_INSZ = '85073003328';
/** A second valid national number (RRN, 2006-07-05, female). */
export const OTHER_VALID_INSZ = '06070500252';
/** Fails the check digits (expected 28). */
export const INVALID_INSZ = '85073003329';

/** The eIDAS PersonIdentifier of the default eIDAS person (issued by DE for BE). */
export const EIDAS_PERSON_ID = 'DE/BE/1234567890ABCDEF';
/** The itsme `sub` of the default itsme person. */
export const ITSME_SUBJECT = 'itsme-sub-3f7a9c2e';

export const EIDAS_LOA = {
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
  notNotifiedLow: 'http://eidas.europa.eu/NotNotified/LoA/low',
  notNotifiedSubstantial: 'http://eidas.europa.eu/NotNotified/LoA/substantial',
  notNotifiedHigh: 'http://eidas.europa.eu/NotNotified/LoA/high',
} as const;

/** eIDAS CurrentAddress as a gateway sends it: base64 of `eidas-natural:` elements. */
export function encodeEidasAddress(parts: Record<string, string>): string {
  const xml = Object.entries(parts)
    .map(([element, value]) => `<eidas-natural:${element}>${escapeXml(value)}</eidas-natural:${element}>`)
    .join('\n');
  return Buffer.from(xml, 'utf8').toString('base64');
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A multi-valued SAML attribute as Cognito stores it (see `decodeMultiValued`). */
export const multiValued = (values: readonly string[]): string => encodeMultiValued(values);

function withOverrides(base: Record<string, string>, overrides: AttributeOverrides): Record<string, string> {
  const attributes = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete attributes[name];
    else attributes[name] = value;
  }
  return attributes;
}

/** Mapped attributes of a German eIDAS user at LoA substantial, with every optional attribute. */
export function eidasAttributes(overrides: AttributeOverrides = {}): Record<string, string> {
  return withOverrides(
    {
      'custom:eidas_person_id': EIDAS_PERSON_ID,
      'custom:given_name': 'Erika',
      'custom:family_name': 'Mustermann',
      'custom:birth_date': '1964-08-12',
      'custom:gender': 'Female',
      'custom:nationality': 'DE',
      'custom:birth_name': 'Gabler',
      'custom:place_of_birth': 'Berlin',
      'custom:country_of_residence': 'DE',
      'custom:address': encodeEidasAddress({
        LocatorDesignator: '17',
        Thoroughfare: 'Heidestraße',
        PostName: 'Köln',
        PostCode: '51147',
        AdminunitFirstline: 'DE',
      }),
      'custom:email': 'erika.mustermann@example.org',
      'custom:loa': EIDAS_LOA.substantial,
    },
    overrides,
  );
}

/** Mapped claims of an itsme user with the `eid` scope (a valid national number). */
export function itsmeAttributes(overrides: AttributeOverrides = {}): Record<string, string> {
  return withOverrides(
    {
      'custom:given_name': 'Jan',
      'custom:family_name': 'Peeters',
      'custom:birth_date': '1985-07-30',
      'custom:gender': 'male',
      'custom:locale': 'nl',
      'custom:email': 'jan.peeters@example.be',
      'custom:phone': '+32470123456',
      'custom:address': JSON.stringify({
        street_address: 'Wetstraat 16',
        postal_code: '1000',
        locality: 'Brussel',
        country: 'BE',
      }),
      'custom:national_number': VALID_INSZ,
    },
    overrides,
  );
}

/** Who logs in. */
export interface FederatedUserOptions {
  provider: 'eidas' | 'itsme';
  /**
   * itsme: the `sub` (default {@link ITSME_SUBJECT}). eIDAS: sets `custom:eidas_person_id` unless the
   * attribute overrides set it.
   */
  subject?: string;
  /** Overrides of the provider's default attributes. */
  attributes?: AttributeOverrides;
  /** Replaces the whole user name (e.g. `native-user` for a non-federated user). */
  userName?: string;
  /** The SAML NameID of an eIDAS user (its user name suffix; not the subject). */
  nameId?: string;
}

interface FederatedUser {
  userName: string;
  userAttributes: Record<string, string>;
  identityUserId: string;
  providerName: string;
  providerType: 'SAML' | 'OIDC';
}

function federatedUser(options: FederatedUserOptions): FederatedUser {
  if (options.provider === 'eidas') {
    const nameId = options.nameId ?? '_7f1c2b9a0d4e';
    const subjectOverride = options.subject ? { 'custom:eidas_person_id': options.subject } : {};
    return {
      userName: options.userName ?? `${PROVIDER_NAMES.eidas}_${nameId}`,
      userAttributes: eidasAttributes({ ...subjectOverride, ...options.attributes }),
      identityUserId: nameId,
      providerName: PROVIDER_NAMES.eidas,
      providerType: 'SAML',
    };
  }
  const sub = options.subject ?? ITSME_SUBJECT;
  return {
    userName: options.userName ?? `${PROVIDER_NAMES.itsme}_${sub}`,
    userAttributes: itsmeAttributes(options.attributes),
    identityUserId: sub,
    providerName: PROVIDER_NAMES.itsme,
    providerType: 'OIDC',
  };
}

const COMMON = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_TestPool1',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'testclientid0123456789' },
} as const;

/** Options of {@link preSignUpEvent}. */
export interface PreSignUpEventOptions extends FederatedUserOptions {
  /** @default 'PreSignUp_ExternalProvider' */
  triggerSource?: PreSignUpTriggerEvent['triggerSource'];
}

/** A pre sign-up event; for external providers Cognito sends no `identities` attribute yet. */
export function preSignUpEvent(options: PreSignUpEventOptions): PreSignUpTriggerEvent {
  const user = federatedUser(options);
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '1',
    triggerSource: options.triggerSource ?? 'PreSignUp_ExternalProvider',
    userName: user.userName,
    request: { userAttributes: user.userAttributes, validationData: {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent;
}

/** Every V2 pre token generation trigger source. */
export const TOKEN_GENERATION_SOURCES = [
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
] as const satisfies readonly PreTokenGenerationV2TriggerEvent['triggerSource'][];

/** Options of {@link preTokenGenerationEvent}. */
export interface PreTokenGenerationEventOptions extends FederatedUserOptions {
  /** @default 'TokenGeneration_HostedAuth' */
  triggerSource?: PreTokenGenerationV2TriggerEvent['triggerSource'];
  /** Leave out Cognito's `identities` attribute (as for a native user). @default false */
  withoutIdentities?: boolean;
}

/**
 * A V2 pre token generation event for a federated user, with the attributes Cognito adds itself
 * (`sub`, `cognito:user_status`, `identities`) and `claimsAndScopeOverrideDetails: null` as Cognito
 * sends it (the typings say otherwise).
 */
export function preTokenGenerationEvent(
  options: PreTokenGenerationEventOptions,
): PreTokenGenerationV2TriggerEvent {
  const user = federatedUser(options);
  const identities = JSON.stringify([
    {
      dateCreated: '1735689600000',
      userId: user.identityUserId,
      providerName: user.providerName,
      providerType: user.providerType,
      issuer: null,
      primary: 'true',
    },
  ]);
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '2',
    triggerSource: options.triggerSource ?? 'TokenGeneration_HostedAuth',
    userName: user.userName,
    request: {
      userAttributes: {
        sub: '8f0c3f1e-5b0a-4c59-9d3e-2a1b7c6d5e4f',
        'cognito:user_status': 'EXTERNAL_PROVIDER',
        ...(options.withoutIdentities ? {} : { identities }),
        ...user.userAttributes,
      },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'profile', 'email', 'aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null as unknown as ClaimsAndScopeOverrideDetails },
  } as PreTokenGenerationV2TriggerEvent;
}

/** The username of the default native user (registration-office account). */
export const NATIVE_USERNAME = 'ea-k7m2p9qx4t';

/** Attributes Cognito passes for a native user (CONFIRMED after the first password change). */
export function nativeUserAttributes(overrides: AttributeOverrides = {}): Record<string, string> {
  return withOverrides(
    {
      sub: '5d1c8a2e-7f3b-4e6a-9c0d-1b2a3c4d5e6f',
      'cognito:user_status': 'CONFIRMED',
      email: 'marie.dupont@example.fr',
      email_verified: 'true',
    },
    overrides,
  );
}

/** One step of a custom-auth session, as Cognito lists it. */
export type AuthSessionStep = DefineAuthChallengeTriggerEvent['request']['session'][number];

/** Shorthands for session steps: `step('SRP_A')`, `step('CUSTOM_CHALLENGE', false, 'CODE_CARD_POSITION_7')`. */
export function step(
  challengeName: string,
  challengeResult = true,
  challengeMetadata?: string,
): AuthSessionStep {
  return (
    challengeName === 'CUSTOM_CHALLENGE'
      ? { challengeName, challengeResult, ...(challengeMetadata ? { challengeMetadata } : {}) }
      : { challengeName, challengeResult }
  ) as AuthSessionStep;
}

/** Options of the custom-auth trigger events. */
export interface AuthChallengeEventOptions {
  /** @default NATIVE_USERNAME */
  userName?: string;
  /** Attributes (default {@link nativeUserAttributes}). */
  userAttributes?: Record<string, string>;
  /** @default [] */
  session?: AuthSessionStep[];
  userNotFound?: boolean;
  clientMetadata?: Record<string, string>;
}

/** A define auth challenge event (`DefineAuthChallenge_Authentication`). */
export function defineAuthChallengeEvent(
  options: AuthChallengeEventOptions = {},
): DefineAuthChallengeTriggerEvent {
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '1',
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName: options.userName ?? NATIVE_USERNAME,
    request: {
      userAttributes: options.userAttributes ?? nativeUserAttributes(),
      session: [...(options.session ?? [])],
      ...(options.userNotFound !== undefined ? { userNotFound: options.userNotFound } : {}),
      ...(options.clientMetadata ? { clientMetadata: { ...options.clientMetadata } } : {}),
    },
    response: { failAuthentication: false, issueTokens: false },
  } as DefineAuthChallengeTriggerEvent;
}

/** A create auth challenge event for `CUSTOM_CHALLENGE`. */
export function createAuthChallengeEvent(
  options: AuthChallengeEventOptions = {},
): CreateAuthChallengeTriggerEvent {
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '1',
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName: options.userName ?? NATIVE_USERNAME,
    request: {
      userAttributes: options.userAttributes ?? nativeUserAttributes(),
      challengeName: 'CUSTOM_CHALLENGE',
      session: [...(options.session ?? [step('SRP_A'), step('PASSWORD_VERIFIER')])],
      ...(options.userNotFound !== undefined ? { userNotFound: options.userNotFound } : {}),
      ...(options.clientMetadata ? { clientMetadata: { ...options.clientMetadata } } : {}),
    },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
  } as CreateAuthChallengeTriggerEvent;
}

/** Options of {@link verifyAuthChallengeEvent}. */
export interface VerifyAuthChallengeEventOptions extends AuthChallengeEventOptions {
  /** What create put in `privateChallengeParameters`. */
  privateChallengeParameters: Record<string, string>;
  challengeAnswer: string;
}

/** A verify auth challenge response event. */
export function verifyAuthChallengeEvent(
  options: VerifyAuthChallengeEventOptions,
): VerifyAuthChallengeResponseTriggerEvent {
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '1',
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: options.userName ?? NATIVE_USERNAME,
    request: {
      userAttributes: options.userAttributes ?? nativeUserAttributes(),
      privateChallengeParameters: { ...options.privateChallengeParameters },
      challengeAnswer: options.challengeAnswer,
      ...(options.userNotFound !== undefined ? { userNotFound: options.userNotFound } : {}),
      ...(options.clientMetadata ? { clientMetadata: { ...options.clientMetadata } } : {}),
    },
    response: { answerCorrect: false },
  } as VerifyAuthChallengeResponseTriggerEvent;
}

/** A V2 pre token generation event for a native user (no `identities`, status CONFIRMED). */
export function nativePreTokenGenerationEvent(
  options: { userName?: string; triggerSource?: PreTokenGenerationV2TriggerEvent['triggerSource'] } = {},
): PreTokenGenerationV2TriggerEvent {
  return {
    ...COMMON,
    callerContext: { ...COMMON.callerContext },
    version: '2',
    triggerSource: options.triggerSource ?? 'TokenGeneration_Authentication',
    userName: options.userName ?? NATIVE_USERNAME,
    request: {
      userAttributes: nativeUserAttributes(),
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'profile', 'email', 'aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null as unknown as ClaimsAndScopeOverrideDetails },
  } as PreTokenGenerationV2TriggerEvent;
}

/**
 * The trigger events the local user pool sends, shaped as Cognito sends them for a federated user on
 * the managed login (see test/helpers/cognito-events.ts, which the trigger unit tests use):
 * `PreSignUp_ExternalProvider` (version 1, no `sub` or `identities` yet), `PostConfirmation_ConfirmSignUp`
 * and the V2 pre token generation event (version 2, `claimsAndScopeOverrideDetails: null`).
 *
 * Events cross a JSON boundary both ways (as a Lambda invocation does): a trigger can neither keep a
 * reference to the pool's state nor return values JSON cannot carry.
 */
import type {
  ClaimsAndScopeOverrideDetails,
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PostConfirmationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';

/** `callerContext.awsSdkVersion` of events from the managed login. */
export const MANAGED_LOGIN_SDK_VERSION = 'aws-sdk-unknown-unknown';

/** The pre sign-up trigger: a Lambda handler as Cognito invokes it. */
export type PreSignUpTrigger = (event: PreSignUpTriggerEvent) => Promise<PreSignUpTriggerEvent | undefined>;
/** The post confirmation trigger. */
export type PostConfirmationTrigger = (
  event: PostConfirmationTriggerEvent,
) => Promise<PostConfirmationTriggerEvent | undefined>;
/** The V2 pre token generation trigger. */
export type PreTokenGenerationTrigger = (
  event: PreTokenGenerationV2TriggerEvent,
) => Promise<PreTokenGenerationV2TriggerEvent | undefined>;

/** The define auth challenge trigger (custom authentication flow). */
export type DefineAuthChallengeTrigger = (
  event: DefineAuthChallengeTriggerEvent,
) => Promise<DefineAuthChallengeTriggerEvent | undefined>;
/** The create auth challenge trigger. */
export type CreateAuthChallengeTrigger = (
  event: CreateAuthChallengeTriggerEvent,
) => Promise<CreateAuthChallengeTriggerEvent | undefined>;
/** The verify auth challenge response trigger. */
export type VerifyAuthChallengeResponseTrigger = (
  event: VerifyAuthChallengeResponseTriggerEvent,
) => Promise<VerifyAuthChallengeResponseTriggerEvent | undefined>;

/** `callerContext.clientId` of events from admin API calls, which have no app client. */
export const ADMIN_CALLER_CLIENT_ID = 'CLIENT_ID_NOT_APPLICABLE';

/** What every event of one pool and app client shares. */
export interface EventContext {
  region: string;
  userPoolId: string;
  clientId: string;
}

function common(context: EventContext) {
  return {
    region: context.region,
    userPoolId: context.userPoolId,
    callerContext: { awsSdkVersion: MANAGED_LOGIN_SDK_VERSION, clientId: context.clientId },
  };
}

/** `PreSignUp_ExternalProvider`: the mapped IdP attributes only (no `sub`, no `identities` yet). */
export function preSignUpEvent(
  context: EventContext,
  userName: string,
  userAttributes: Record<string, string>,
): PreSignUpTriggerEvent {
  return {
    version: '1',
    ...common(context),
    triggerSource: 'PreSignUp_ExternalProvider',
    userName,
    request: { userAttributes: { ...userAttributes }, validationData: {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent;
}

/** `PostConfirmation_ConfirmSignUp`, sent once after a federated user is created. */
export function postConfirmationEvent(
  context: EventContext,
  userName: string,
  userAttributes: Record<string, string>,
): PostConfirmationTriggerEvent {
  return {
    version: '1',
    ...common(context),
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    userName,
    request: { userAttributes: { ...userAttributes } },
    response: {},
  } as PostConfirmationTriggerEvent;
}

/**
 * `PreSignUp_AdminCreateUser`: the attributes AdminCreateUser was given (no `sub` yet), its
 * `ValidationData` and `ClientMetadata`; `callerContext.clientId` is {@link ADMIN_CALLER_CLIENT_ID}.
 */
export function adminCreateUserPreSignUpEvent(
  context: Omit<EventContext, 'clientId'>,
  input: {
    userName: string;
    userAttributes: Record<string, string>;
    validationData: Record<string, string>;
    clientMetadata?: Record<string, string>;
  },
): PreSignUpTriggerEvent {
  return {
    version: '1',
    ...common({ ...context, clientId: ADMIN_CALLER_CLIENT_ID }),
    triggerSource: 'PreSignUp_AdminCreateUser',
    userName: input.userName,
    request: {
      userAttributes: { ...input.userAttributes },
      validationData: { ...input.validationData },
      ...(input.clientMetadata ? { clientMetadata: { ...input.clientMetadata } } : {}),
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent;
}

/** One entry of the custom authentication flow's `session` array, oldest first. */
export interface ChallengeResultEntry {
  challengeName: 'SRP_A' | 'PASSWORD_VERIFIER' | 'CUSTOM_CHALLENGE';
  challengeResult: boolean;
  challengeMetadata?: string;
}

interface ChallengeEventInput {
  userName: string;
  /** Including `sub` and `cognito:user_status`; empty when the user does not exist. */
  userAttributes: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /** True for an unknown user when the client prevents user existence errors. */
  userNotFound: boolean;
}

function challengeRequest(input: ChallengeEventInput) {
  return {
    userAttributes: { ...input.userAttributes },
    ...(input.clientMetadata ? { clientMetadata: { ...input.clientMetadata } } : {}),
    userNotFound: input.userNotFound,
  };
}

/** `DefineAuthChallenge_Authentication`: the challenges so far; Cognito sends the response fields null. */
export function defineAuthChallengeEvent(
  context: EventContext,
  input: ChallengeEventInput & { session: readonly ChallengeResultEntry[] },
): DefineAuthChallengeTriggerEvent {
  return {
    version: '1',
    ...common(context),
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName: input.userName,
    request: { ...challengeRequest(input), session: input.session.map((entry) => ({ ...entry })) },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  } as unknown as DefineAuthChallengeTriggerEvent;
}

/** `CreateAuthChallenge_Authentication`, for the challenge define asked for. */
export function createAuthChallengeEvent(
  context: EventContext,
  input: ChallengeEventInput & { challengeName: string; session: readonly ChallengeResultEntry[] },
): CreateAuthChallengeTriggerEvent {
  return {
    version: '1',
    ...common(context),
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName: input.userName,
    request: {
      ...challengeRequest(input),
      challengeName: input.challengeName,
      session: input.session.map((entry) => ({ ...entry })),
    },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  } as unknown as CreateAuthChallengeTriggerEvent;
}

/** `VerifyAuthChallengeResponse_Authentication`: the answer and create's private parameters. */
export function verifyAuthChallengeResponseEvent(
  context: EventContext,
  input: ChallengeEventInput & {
    privateChallengeParameters: Record<string, string>;
    challengeAnswer: string;
  },
): VerifyAuthChallengeResponseTriggerEvent {
  return {
    version: '1',
    ...common(context),
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: input.userName,
    request: {
      ...challengeRequest(input),
      privateChallengeParameters: { ...input.privateChallengeParameters },
      challengeAnswer: input.challengeAnswer,
    },
    response: { answerCorrect: null },
  } as unknown as VerifyAuthChallengeResponseTriggerEvent;
}

/**
 * The pre token generation sources the local pool emits: the managed login, refresh, and the API's
 * sign-in (`TokenGeneration_Authentication`, or `TokenGeneration_NewPasswordChallenge` when the
 * authentication set a new password for an administrator-created user).
 */
export type LocalTokenGenerationSource =
  | 'TokenGeneration_HostedAuth'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge';

/** The V2 pre token generation event. */
export function preTokenGenerationEvent(
  context: EventContext,
  input: {
    triggerSource: LocalTokenGenerationSource;
    userName: string;
    /** Including `sub`, `identities` and `cognito:user_status`. */
    userAttributes: Record<string, string>;
    groups: readonly string[];
    scopes: readonly string[];
  },
): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    ...common(context),
    triggerSource: input.triggerSource,
    userName: input.userName,
    request: {
      userAttributes: { ...input.userAttributes },
      groupConfiguration: {
        groupsToOverride: [...input.groups],
        iamRolesToOverride: [],
        // Cognito sends null when no group has a role; the typings only know `string | undefined`.
        preferredRole: null as unknown as undefined,
      },
      scopes: [...input.scopes],
    },
    // Cognito sends null here; the typings say otherwise (see test/helpers/cognito-events.ts).
    response: { claimsAndScopeOverrideDetails: null as unknown as ClaimsAndScopeOverrideDetails },
  } as PreTokenGenerationV2TriggerEvent;
}

/** Cognito's answer when a trigger returns something that is not its event (e.g. nothing). */
export class InvalidLambdaResponseError extends Error {
  constructor() {
    super('Unrecognizable lambda output');
    this.name = 'InvalidLambdaResponseError';
  }
}

/**
 * Sends an event through a trigger across a JSON boundary and returns the event as Cognito reads it
 * back. A handler that mutates its event but returns nothing fails over Lambda (the response is
 * `null`), so it fails here too.
 *
 * @throws whatever the trigger throws; InvalidLambdaResponseError when it returns no object.
 */
export async function invokeTrigger<E>(trigger: (event: E) => Promise<E | undefined>, event: E): Promise<E> {
  const returned: unknown = await trigger(JSON.parse(JSON.stringify(event)) as E);
  if (returned === null || typeof returned !== 'object') throw new InvalidLambdaResponseError();
  return JSON.parse(JSON.stringify(returned)) as E;
}

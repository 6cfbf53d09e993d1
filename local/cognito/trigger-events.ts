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
  PostConfirmationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
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

/** The trigger sources the local pool emits. */
export type LocalTokenGenerationSource = 'TokenGeneration_HostedAuth' | 'TokenGeneration_RefreshTokens';

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

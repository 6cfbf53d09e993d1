/**
 * The approval request at run time (ARCHITECTURE.md section 4), written once for every context:
 * the workflow-task dispatcher (`notify-approvers` … `record-failure`), the API's one-winner
 * {@link decide}, and {@link expire}, the only way a request becomes EXPIRED. A context supplies an
 * {@link ApprovalAdapter}: how to load its request, apply each decision, close it, and which mails
 * go to approvers and to the requester. Every step is idempotent under Step Functions retries
 * (conditional writes, mails keyed `${id}:<template>[:<key>]`), fails by throwing named errors, and
 * puts no personal data into the workflow state.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import type { Mailer, MailMessage } from '../mailer.ts';
import {
  parseTaskEvent,
  TaskTokenExpiredError,
  type WorkflowPort,
  type WorkflowTaskEvent,
  workflowTaskEventSchema,
} from '../workflow.ts';

/** What a decider is told when a request may not be decided; each context words its own. */
export interface UndecidableTexts {
  /** No such request, or none the decider may see (404). */
  missing: string;
  /** The decider made the request (403 `own-request`). */
  own: string;
  /** The request no longer waits for a decision (409 `already-decided`). */
  notWaiting: string;
}

/**
 * The checks every decision route makes before it claims: the request exists (`undefined` also for
 * one the decider may not see), the decider did not make it — nobody decides on their own request —
 * and it waits for a decision.
 * @throws NotFoundError, ForbiddenError `own-request`, ConflictError `already-decided`
 */
export function decidableRequest<R extends { personId: string; status: string }>(
  request: R | undefined,
  deciderId: string,
  pendingStatus: string,
  texts: UndecidableTexts,
): R {
  if (!request) throw new NotFoundError(texts.missing);
  if (request.personId === deciderId) throw new ForbiddenError(texts.own, { code: 'own-request' });
  if (request.status !== pendingStatus)
    throw new ConflictError(texts.notWaiting, { code: 'already-decided' });
  return request;
}

/** Structured logging as the runtime needs it (the shared logger of `#shared/logger` fits). */
export interface ApprovalLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** The decision the API stores on the request when it claims the task token. */
export interface PendingApproval {
  readonly decisionId: string;
  readonly decision: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason?: string | undefined;
}

/** What every request waiting in an approval workflow has. */
export interface ApprovalRequest {
  readonly status: string;
  readonly personId: string;
  readonly decision?: PendingApproval | undefined;
}

/**
 * Storing, claiming and releasing the task token of the decision wait (the repository implements it
 * over `task-token.ts`).
 */
export interface DecisionTokenStore<D extends PendingApproval> {
  /** @returns false when the request no longer waits for a decision */
  storeDecisionToken(id: string, taskToken: string, now: string): Promise<boolean>;
  /** @returns the stored token; @throws ConflictError when the request cannot be decided */
  claimDecision(id: string, decision: D, now: string): Promise<string>;
  releaseDecision(id: string, decisionId: string, taskToken: string): Promise<void>;
}

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A mail without its idempotency key: the runtime derives it from the request id and template. */
export type ApprovalMail = Without<MailMessage, 'idempotencyKey'> & {
  /** Distinguishes mails of one template on one request (a round, a recipient). @default none */
  key?: string | number;
};

/** The template and data of an outcome mail; the runtime addresses it to the requester. */
export type OutcomeNotice = Without<MailMessage, 'idempotencyKey' | 'to' | 'locale' | 'attachments'>;

/** How a request is closed as EXPIRED. */
export interface CloseReason {
  reason: string;
  /** A failure rather than a timeout or refusal (BIS history records `failed`). @default false */
  failed?: boolean;
}

/**
 * What the API side of a context supplies: enough to decide and to expire. The workflow side adds
 * the rest ({@link ApprovalAdapter}).
 */
export interface ApprovalStore<
  R extends ApprovalRequest,
  D extends PendingApproval = NonNullable<R['decision']>,
> {
  /** For log messages: `bis registration`, `right request`, `foreign registration`. */
  readonly label: string;
  /** The log attribute and mail data field that carry the id: `registrationId`, `requestId`. */
  readonly idKey: string;
  /** The status in which the request waits for a decision. */
  readonly pendingStatus: string;
  idOf(request: R): string;
  load(id: string): Promise<R | undefined>;
  readonly tokens: DecisionTokenStore<D>;
  /**
   * The one writer of EXPIRED: closes an open request (no-op when closed already).
   * @returns whether this call closed it
   */
  close(request: R, how: CloseReason): Promise<boolean>;
  /** The context's named error for "not in the state this step expects". */
  stateError(message: string): Error;
  readonly logger?: ApprovalLogger | undefined;
}

/** What applying one kind of decision does. */
export interface ApprovalOutcome<R, D> {
  /** The status the request has once the decision is applied. */
  readonly status: string;
  /**
   * Writes the outcome (conditionally).
   * @returns false when the write did not apply: the runtime then accepts the request only if it
   *   already has {@link status} (a retry after success)
   */
  apply(request: R, decision: D): Promise<boolean>;
}

/** Who is told the outcome, in which language. */
export interface Recipient {
  to: string;
  locale?: string | undefined;
}

/** A context's whole approval: its store plus the workflow's mails and outcomes. */
export interface ApprovalAdapter<
  R extends ApprovalRequest,
  D extends PendingApproval = NonNullable<R['decision']>,
> extends ApprovalStore<R, D> {
  readonly mailer: Mailer;
  now(): Date;
  /** Statuses in which `apply-outcome` has nothing left to do (a retry): reported as they are. */
  readonly settledStatuses: readonly string[];
  /** By decision value (`approve`, `reject`, `deny`). A value missing here has no outcome. */
  readonly outcomes: Readonly<Record<string, ApprovalOutcome<R, D>>>;
  /** The mails that ask for a decision, sent while the request waits for one. */
  approverMails(request: R): Promise<ApprovalMail[]>;
  /** The mail that tells the requester each closing status; a status missing here is an error. */
  readonly outcomeNotices: Readonly<
    Partial<
      Record<string, (request: R, locale: string | undefined) => Promise<OutcomeNotice> | OutcomeNotice>
    >
  >;
  /**
   * The mail that tells the requester their request closed because processing failed (the
   * workflow's `record-failure`), never sent for a request that reached an outcome.
   */
  failureNotice(request: R, locale: string | undefined): Promise<OutcomeNotice> | OutcomeNotice;
  /** Where the outcome goes; undefined when the requester has no address (portal only). */
  requester(request: R): Promise<Recipient | undefined>;
  /** Runs before the outcome mail, on every attempt (idempotent). @default nothing */
  beforeRequesterNotice?(request: R): Promise<void>;
  /**
   * The correction loop: mail the requester what to correct, then store the token of the wait.
   * Contexts without the loop leave it out (the step then fails as a state error).
   */
  awaitCorrection?(request: R, decision: D | undefined, taskToken: string): Promise<void>;
}

/** What `apply-outcome` returns into the workflow state (`$.outcome.result`). */
export interface AppliedOutcome {
  status: string;
}

/**
 * Closes `request` as EXPIRED through its context's one writer. Used by the workflow (timeout,
 * failure), by the API when a decision or correction comes too late, and when a start fails.
 */
export function expire<R extends ApprovalRequest>(
  store: ApprovalStore<R, PendingApproval>,
  request: R,
  how: CloseReason,
): Promise<boolean> {
  return store.close(request, how);
}

/**
 * Hands `decision` to the waiting workflow: the conditional claim makes exactly one decision win and
 * takes the stored task token, then SendTaskSuccess answers it with the decision and its id only (the
 * reason stays on the item). A token that is no longer valid closes the request as EXPIRED and
 * rethrows ({@link TaskTokenExpiredError}, 409); any other failure puts the token back.
 */
export async function decide<R extends ApprovalRequest, D extends PendingApproval>(
  store: ApprovalStore<R, D>,
  workflow: WorkflowPort,
  request: R,
  decision: D,
): Promise<void> {
  const id = store.idOf(request);
  const taskToken = await store.tokens.claimDecision(id, decision, decision.decidedAt);
  try {
    await workflow.sendTaskSuccess(taskToken, {
      decision: decision.decision,
      decisionId: decision.decisionId,
    });
  } catch (error) {
    if (error instanceof TaskTokenExpiredError) {
      await store.close(request, { reason: 'The request could no longer be decided.' });
      store.logger?.info(`${store.label} decision refused: the wait had ended`, { [store.idKey]: id });
      throw error;
    }
    await store.tokens.releaseDecision(id, decision.decisionId, taskToken);
    throw error;
  }
  store.logger?.info(`${store.label} decided`, { [store.idKey]: id, decision: decision.decision });
}

/** Runs one workflow step; the result is what the Lambda returns to Step Functions. */
export async function runWorkflowTask<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  payload: unknown,
): Promise<unknown> {
  const event = parseTaskEvent(workflowTaskEventSchema, payload);
  const request = await adapter.load(event.requestId);
  if (!request) throw adapter.stateError('The request does not exist');
  switch (event.action) {
    case 'notify-approvers':
      return notifyApprovers(adapter, request);
    case 'await-decision':
      return awaitDecision(adapter, request, requireToken(adapter, event));
    case 'await-correction': {
      if (!adapter.awaitCorrection) throw adapter.stateError(`A ${adapter.label} has no correction loop`);
      const token = requireToken(adapter, event);
      await adapter.awaitCorrection(request, pendingDecision(request, event) as D | undefined, token);
      return { waiting: true };
    }
    case 'apply-outcome':
      return applyOutcome(adapter, request, event);
    case 'expire':
      return {
        expired: await expire(adapter, request, {
          reason:
            event.state.expiredWhile === 'correction'
              ? 'No correction was received in time.'
              : 'No decision was made in time.',
        }),
      };
    case 'notify-requester':
      return notifyRequester(adapter, request);
    case 'record-failure': {
      // The error's name only: causes can quote data.
      const error = event.state.failure?.Error ?? 'UnknownError';
      // Closed first: a mail that keeps failing must never leave the request open with no workflow.
      // Then told — by this attempt, or by a retry that finds the request EXPIRED (the mail's key makes
      // it once); a request that reached another outcome is not told it failed.
      const closed = await expire(adapter, request, {
        reason: `Processing failed (${error}).`,
        failed: true,
      });
      const notified = closed || request.status === 'EXPIRED' ? await notifyFailure(adapter, request) : false;
      adapter.logger?.error(`${adapter.label} workflow failed`, { [adapter.idKey]: event.requestId, error });
      return { recorded: true, notified };
    }
  }
}

/** A Lambda-shaped task handler over {@link runWorkflowTask}. */
export function createWorkflowTaskHandler<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
): (payload: unknown) => Promise<unknown> {
  return (payload) => runWorkflowTask(adapter, payload);
}

function requireToken(
  store: Pick<ApprovalStore<ApprovalRequest>, 'stateError'>,
  event: WorkflowTaskEvent,
): string {
  if (!event.taskToken) throw store.stateError(`${event.action} needs a task token`);
  return event.taskToken;
}

/** The decision the workflow is acting on, as stored by the API (matched by id). */
function pendingDecision<R extends ApprovalRequest>(request: R, event: WorkflowTaskEvent) {
  const decisionId = (event.state.decision as { decisionId?: unknown } | undefined)?.decisionId;
  return request.decision && request.decision.decisionId === decisionId ? request.decision : undefined;
}

function mailOf(id: string, mail: ApprovalMail): MailMessage {
  const { key, ...message } = mail;
  const suffix = key === undefined ? '' : `:${key}`;
  return { ...message, idempotencyKey: `${id}:${message.template}${suffix}` } as MailMessage;
}

async function notifyApprovers<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  request: R,
): Promise<object> {
  if (request.status !== adapter.pendingStatus) return { notified: 0 };
  const id = adapter.idOf(request);
  const mails = await adapter.approverMails(request);
  for (const mail of mails) await adapter.mailer.send(mailOf(id, mail));
  return { notified: mails.length };
}

async function awaitDecision<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  request: R,
  taskToken: string,
): Promise<object> {
  const stored = await adapter.tokens.storeDecisionToken(
    adapter.idOf(request),
    taskToken,
    adapter.now().toISOString(),
  );
  if (!stored) throw adapter.stateError(`Cannot wait for a decision in status ${request.status}`);
  return { waiting: true };
}

async function applyOutcome<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  request: R,
  event: WorkflowTaskEvent,
): Promise<AppliedOutcome> {
  // A retry after the outcome was applied: report it again.
  if (adapter.settledStatuses.includes(request.status)) return { status: request.status };
  const decision = pendingDecision(request, event) as D | undefined;
  if (!decision) throw adapter.stateError(`No pending decision to apply in status ${request.status}`);
  const outcome = adapter.outcomes[decision.decision];
  if (!outcome) throw adapter.stateError(`Decision ${decision.decision} has no outcome`);
  if (!(await outcome.apply(request, decision))) {
    const current = await adapter.load(adapter.idOf(request));
    // Closed instead (the adapter refused the outcome, e.g. the decider lost their rights): the
    // requester is told that closing status.
    if (current && current.status !== outcome.status && adapter.settledStatuses.includes(current.status)) {
      return { status: current.status };
    }
    if (current?.status !== outcome.status) {
      throw adapter.stateError(`Cannot apply ${outcome.status} in status ${current?.status ?? 'none'}`);
    }
  }
  return { status: outcome.status };
}

/** Tells the requester processing failed (see `record-failure`); false without an address. */
async function notifyFailure<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  request: R,
): Promise<boolean> {
  const recipient = await adapter.requester(request);
  if (!recipient) return false;
  const notice = await adapter.failureNotice(request, recipient.locale);
  await adapter.mailer.send(mailOf(adapter.idOf(request), { ...recipient, ...notice } as ApprovalMail));
  return true;
}

/** Tells the requester the outcome; a requester without e-mail sees it in the portal only. */
async function notifyRequester<R extends ApprovalRequest, D extends PendingApproval>(
  adapter: ApprovalAdapter<R, D>,
  request: R,
): Promise<object> {
  const id = adapter.idOf(request);
  const notice = adapter.outcomeNotices[request.status];
  if (!notice) throw adapter.stateError(`Nothing to tell the requester in status ${request.status}`);
  // Before the mail, so that a retry of this step repeats it too.
  await adapter.beforeRequesterNotice?.(request);
  const recipient = await adapter.requester(request);
  if (!recipient) {
    adapter.logger?.info('requester has no e-mail address, not notified', { [adapter.idKey]: id });
    return { notified: false };
  }
  const mail = { ...recipient, ...(await notice(request, recipient.locale)) } as ApprovalMail;
  await adapter.mailer.send(mailOf(id, mail));
  return { notified: request.status };
}

/**
 * Exactly once under failure (issue 21), on the sandbox (`npm start`'s entry as a child process): for
 * each workflow — BIS registration, foreign registration, right request, appointment, grant expiry —
 * and each step with a side effect (a write, a mail, a task token), the fault switchboard injects
 * throttling, server errors, lost responses and crash-after, and the test asserts the outcome: one
 * decision, one grant or number, one mail, one audit entry, the request in its final status.
 *
 * What recovers is the real code: the SDK clients' default retries, the handlers' translation into
 * `TransientError`, the state machines' Retry/Catch, and the caller retrying an API call that failed
 * (what a portal or an operator does with a 5xx). Workflow time runs at one day per minute, so Retry
 * backoffs take milliseconds while no decision wait can time out during the run.
 *
 * The docs/failure-model.md table names these cases; keep both in step. Each case's injected failures
 * (the failed attempts it took until the outcome) are printed at the end and written to
 * `.cache/reports/fault-cases.json`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRuleInput } from '#local/aws/faults';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { grantItem } from '#shared/grant-item';
import { newId } from '#shared/ids';
import { bisKeys, foreignRegistrationKeys, rightsKeys, type TableKey } from '#shared/keys';
import { createDocumentClient } from '#shared/table';
import { syntheticPerson } from '#test/bench/identities';
import {
  bisApplication,
  type CallResult,
  eidasPerson,
  itsmePerson,
  JAN,
  poll,
  type SandboxProcess,
  startSandboxProcess,
  ZOE,
} from '#test/helpers/sandbox';

/** The table the sandbox creates (local/server/start.ts). */
const SANDBOX_TABLE = 'eid-access-sandbox';
/** Where the per-case figures go (`fault-cases.json`), next to the bench's output. */
const REPORT_DIR = join(import.meta.dirname, '..', '..', '.cache', 'reports');
/** One workflow day per minute: 30-day waits last 30 minutes, Retry intervals of 1-60 s a few ms. */
const TIME_SCALE = String(60_000 / 86_400_000);

const ORG = '0712459852';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let sandbox: SandboxProcess;
let db: ReturnType<typeof createDocumentClient>;
/** Jan: legal representative and local administrator of ORG. */
let administrator: string;
/** Zoë: BIS agent and security officer. */
let officer: string;
const runId = randomUUID().slice(0, 8);
const salt = Math.floor(Math.random() * 10);
let people = 0;
/** Jan with an address: the administrators' mail of every right request goes there. */
const JAN_WITH_MAIL = { ...JAN, email: `jan-${runId}@example.org` };

beforeAll(async () => {
  sandbox = await startSandboxProcess({
    env: { SANDBOX_TIME_SCALE: TIME_SCALE, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  db = createDocumentClient(
    new DynamoDBClient({
      endpoint: `${sandbox.url}/local/aws/dynamodb`,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  const jan = await sandbox.accessTokenOf('itsme', JAN_WITH_MAIL);
  const claimed = await sandbox.call('POST', '/organisations/claims', {
    token: jan,
    body: { enterpriseNumber: ORG },
  });
  if (claimed.status !== 201) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  administrator = await sandbox.accessTokenOf('itsme', JAN_WITH_MAIL);
  const zoe = String(decodeJwt(await sandbox.accessTokenOf('itsme', ZOE)).person_id);
  for (const group of ['bis-agents', 'security-officers']) {
    await sandbox.call('POST', '/local/groups', { body: { personId: zoe, group } });
  }
  officer = await sandbox.accessTokenOf('itsme', ZOE);
});

afterEach(async () => {
  await clearFaults();
});

/** What each case injected: the failed attempts it took until the outcome (printed and kept as JSON). */
const faultReport: { workflow: string; fault: string; injected: number[] }[] = [];

afterAll(async () => {
  db?.destroy();
  await sandbox?.stop('SIGINT');
  if (faultReport.length === 0) return;
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, 'fault-cases.json'), `${JSON.stringify(faultReport, null, 2)}\n`);
  console.log(
    ['Failed attempts injected per fault case (rule hits):']
      .concat(faultReport.map((row) => `  ${row.workflow}: ${row.fault} → ${row.injected.join(' + ')}`))
      .join('\n'),
  );
});

async function addFaults(rules: readonly FaultRuleInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const rule of rules) {
    const added = await sandbox.call('POST', '/local/faults', { body: rule });
    if (added.status !== 201) throw new Error(`fault: ${JSON.stringify(added.body)}`);
    ids.push(String(added.body.faultId));
  }
  return ids;
}

async function clearFaults(): Promise<void> {
  await sandbox?.call('DELETE', '/local/faults');
}

async function hits(): Promise<number[]> {
  const listed = await sandbox.call('GET', '/local/faults');
  return (listed.body.items ?? []).map((rule) => Number(rule.hits));
}

/** Waits until the workflow has stored the task token of its decision wait on `key`. */
async function waitingForDecision(key: TableKey): Promise<void> {
  const item = await poll(
    async () =>
      (await db.send(new GetCommand({ TableName: SANDBOX_TABLE, Key: key, ConsistentRead: true }))).Item,
    (found) => typeof found?.taskToken === 'string',
    { attempts: 150, intervalMs: 100 },
  );
  if (typeof item?.taskToken !== 'string') throw new Error(`${key.PK} never waited for a decision`);
}

/**
 * A call retried as a client retries a 5xx (and a 409 "not waiting yet" while `retryConflict`):
 * every answer, in order.
 */
async function withClientRetries(
  attempt: () => Promise<CallResult>,
  { retryConflict = false } = {},
): Promise<CallResult[]> {
  const answers: CallResult[] = [];
  for (let i = 0; i < 30; i++) {
    const answer = await attempt();
    answers.push(answer);
    if (answer.status < 500 && !(retryConflict && answer.status === 409)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}

/** A submission retried as a client retries a 5xx; its accepted (202) answer. */
async function submitted(attempt: () => Promise<CallResult>): Promise<CallResult> {
  const answers = await withClientRetries(attempt);
  const last = answers.at(-1);
  expect(last?.status, JSON.stringify(last?.body)).toBe(202);
  return last as CallResult;
}

async function mails(to: string, template: string): Promise<Record<string, string>[]> {
  return (await sandbox.outbox()).filter((mail) => mail.to === to && mail.template === template);
}

/** The approvers' mails (`template`) about one request: its id is in every such mail. */
async function reviewMails(template: string, id: string): Promise<Record<string, string>[]> {
  return (await sandbox.outbox()).filter(
    (mail) => mail.template === template && `${mail.subject}\n${mail.text}`.includes(id),
  );
}

/** Waits for a mail, then a little longer so that a duplicate would have arrived too. */
async function settledMails(to: string, template: string): Promise<Record<string, string>[]> {
  await poll(
    () => mails(to, template),
    (found) => found.length > 0,
    { attempts: 200, intervalMs: 100 },
  );
  await new Promise((resolve) => setTimeout(resolve, 400));
  return mails(to, template);
}

async function listAll(path: string, token: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await sandbox.call(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...(page.body.items ?? []));
    cursor = page.body.nextCursor as string | undefined;
  } while (cursor);
  return items;
}

async function auditOf(match: (entry: Record<string, unknown>) => boolean): Promise<string[]> {
  return (await listAll(`/organisations/${ORG}/audit`, administrator))
    .filter(match)
    .map((entry) => String(entry.action))
    .sort();
}

/** A new itsme person with a national number of their own and an e-mail address. */
function newEmployee(label: string) {
  const person = syntheticPerson(people++, salt);
  const email = `${label}-${runId}-${people}@example.org`;
  return { person, email, attributes: { ...itsmePerson(person), email } };
}

/** Where a case's rules go in: before the request is submitted, or once it waits for its decision. */
type Moment = 'submit' | 'decision';

interface FaultCase {
  name: string;
  at: Moment;
  rules: FaultRuleInput[];
}

/** A rule that fails the next `count` calls of `operation` on `target` with `error`. */
const fail = (
  target: FaultRuleInput['target'],
  operation: string,
  error: string,
  count: number,
  extra: Partial<FaultRuleInput> = {},
): FaultRuleInput => ({ target, operation, error, count, ...extra });

/** A case whose rules go in once the request waits for its decision. */
const atDecision = (name: string, ...rules: FaultRuleInput[]): FaultCase => ({ name, at: 'decision', rules });

/** `fn` finishes `action` (a workflow task's, or any invocation when absent) and then fails as a timeout. */
const crashAfter = (fn: string, action?: string): FaultRuleInput =>
  fail('lambda', fn, 'crash-after', 1, action ? { action } : {});

/** The cases every approval workflow shares: its mail, its task token and the crash of its API. */
function approvalCases(api: string, task: string, mail: string): FaultCase[] {
  return [
    atDecision(
      `SES throttles the ${mail} beyond the SDK retries`,
      fail('ses', 'SendEmail', 'TooManyRequestsException', 4),
    ),
    atDecision(
      `SES fails the ${mail} with server errors beyond the SDK retries`,
      fail('ses', 'SendEmail', 'InternalServerError', 4),
    ),
    atDecision(`notify-requester crashes after sending the ${mail}`, crashAfter(task, 'notify-requester')),
    atDecision(
      'Step Functions throttles SendTaskSuccess beyond the SDK retries',
      fail('sfn', 'SendTaskSuccess', 'ThrottlingException', 4),
    ),
    atDecision(
      'SendTaskSuccess is delivered but its response is lost',
      fail('sfn', 'SendTaskSuccess', 'InternalFailure', 1, { phase: 'after' }),
    ),
    atDecision(`${api} crashes after recording the decision`, crashAfter(api)),
    {
      name: 'the task that stores the task token crashes after storing it',
      at: 'submit',
      rules: [crashAfter(task, 'await-decision')],
    },
  ];
}

/**
 * The cases of a workflow's main transaction (`transaction`, as the case names read it): DynamoDB
 * throttles it beyond the SDK retries, and it commits but its response is lost.
 */
function transactionCases(transaction: string): FaultCase[] {
  return [
    atDecision(
      `DynamoDB throttles ${transaction} beyond the SDK retries`,
      fail('dynamodb', 'TransactWriteItems', 'ProvisionedThroughputExceededException', 6),
    ),
    atDecision(
      `${transaction} commits but its response is lost`,
      fail('dynamodb', 'TransactWriteItems', 'InternalServerError', 1, { phase: 'after' }),
    ),
  ];
}

/** A case whose rules go in before the request is submitted. */
const atSubmit = (name: string, ...rules: FaultRuleInput[]): FaultCase => ({ name, at: 'submit', rules });

/**
 * The cases of the submission every approval workflow shares: its first write (the request, its
 * history and its open-request marker in one transaction) and the approvers' mail. The API's client
 * retries a 5xx; the workflow retries the mail task.
 */
function submissionCases(task: string, reviewMail: string): FaultCase[] {
  return [
    atSubmit(
      'DynamoDB throttles the first write beyond the SDK retries',
      fail('dynamodb', 'TransactWriteItems', 'ProvisionedThroughputExceededException', 4),
    ),
    atSubmit(
      'the first write commits but its response is lost',
      fail('dynamodb', 'TransactWriteItems', 'InternalServerError', 1, { phase: 'after' }),
    ),
    atSubmit(
      `SES throttles the ${reviewMail} beyond the SDK retries`,
      fail('ses', 'SendEmail', 'TooManyRequestsException', 4),
    ),
    atSubmit(
      `notify-approvers crashes after sending the ${reviewMail}`,
      crashAfter(task, 'notify-approvers'),
    ),
  ];
}

/** An approval workflow a fault case runs through: what is submitted, where it waits and who approves. */
interface Approval {
  /** The workflow's name in the report. */
  workflow: string;
  /** The submitting call; its accepted answer names the request in `idField`. */
  submit: () => Promise<CallResult>;
  idField: 'registrationId' | 'requestId';
  /** The item that holds the task token of the decision wait. */
  key: (id: string) => TableKey;
  /** The decision route, and the token of the person who decides. */
  decision: (id: string) => string;
  decider: string;
  /** Where the approval mail goes, and its template. */
  email: string;
  approvedMail: string;
}

/**
 * Submits and approves a request under `faultCase`: its rules go in before the submission or once the
 * request waits for its decision, and both calls are retried as a client retries a 5xx. The rules'
 * hits go to the report and the rules are cleared.
 * @returns the request's id, the decider's answers in order, the approval mails once settled, the hits
 */
async function approvedUnderFaults({ name, at, rules }: FaultCase, approval: Approval) {
  if (at === 'submit') await addFaults(rules);
  const accepted = await submitted(approval.submit);
  const id = String(accepted.body[approval.idField]);
  await waitingForDecision(approval.key(id));
  if (at === 'decision') await addFaults(rules);

  const answers = await withClientRetries(() =>
    sandbox.call('POST', approval.decision(id), { token: approval.decider, body: { decision: 'approve' } }),
  );
  const approved = await settledMails(approval.email, approval.approvedMail);
  const injected = await hits();
  faultReport.push({ workflow: approval.workflow, fault: name, injected });
  await clearFaults();
  return { id, answers, approved, injected };
}

const RIGHT_REQUEST_CASES: FaultCase[] = [
  ...transactionCases('the approval transaction'),
  {
    name: 'DynamoDB answers server errors on a third of the calls',
    at: 'decision',
    rules: [{ target: 'dynamodb', error: 'InternalServerError', probability: 0.33, count: 12 }],
  },
  atDecision(
    "the decision claim's conditional update commits but its response is lost",
    fail('dynamodb', 'UpdateItem', 'InternalServerError', 1, { phase: 'after' }),
  ),
  atDecision('apply-outcome crashes after granting', crashAfter('Rights/WorkflowTask', 'apply-outcome')),
  atDecision(
    'Lambda throttles the workflow task invocations',
    fail('lambda', 'Rights/WorkflowTask', 'TooManyRequestsException', 3),
  ),
  ...approvalCases('Rights/Api', 'Rights/WorkflowTask', 'outcome mail'),
  ...submissionCases('Rights/WorkflowTask', "administrators' mail"),
];

describe('right request under faults', () => {
  it.each(RIGHT_REQUEST_CASES)('grants once, mails once and audits once when $name', async (faultCase) => {
    const employee = newEmployee('rights');
    const token = await sandbox.accessTokenOf('itsme', employee.attributes);
    const {
      id: requestId,
      answers,
      approved,
      injected,
    } = await approvedUnderFaults(faultCase, {
      workflow: 'right request',
      submit: () =>
        sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
          token,
          body: { application: 'KLIP', role: 'klb-beheerder', justification: 'fault run' },
        }),
      idField: 'requestId',
      key: (id) => rightsKeys.request(id),
      decision: (id) => `/organisations/${ORG}/right-requests/${id}/decision`,
      decider: administrator,
      email: employee.email,
      approvedMail: 'right-request-approved',
    });

    expect(injected.every((count) => count > 0)).toBe(true);
    // The decider is told 200, or — when its own first answer was lost — 409 on the retry.
    expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(1);
    expect(answers.at(-1)?.status === 200 || answers.some((answer) => answer.status >= 500)).toBe(true);
    expect(approved).toHaveLength(1);
    expect(await reviewMails('right-request-review-requested', requestId)).toHaveLength(1);
    expect(await mails(employee.email, 'right-request-expired')).toHaveLength(0);
    const grants = (await listAll(`/organisations/${ORG}/grants`, administrator)).filter(
      (grant) => grant.requestId === requestId,
    );
    expect(grants).toHaveLength(1);
    const grantId = grants[0]?.grantId;
    const audit = await auditOf((entry) => {
      const details = entry.details as Record<string, string> | undefined;
      return details?.requestId === requestId || details?.grantId === grantId;
    });
    expect(audit.filter((action) => action === 'right-request-approved')).toHaveLength(1);
    expect(audit.filter((action) => action === 'right-granted')).toHaveLength(1);
    expect(audit).not.toContain('right-request-expired');
    const me = await sandbox.call('GET', '/me', { token });
    expect((me.body.grants as { orgCode: string }[]).filter((grant) => grant.orgCode === ORG)).toHaveLength(
      1,
    );
  });
});

describe('right request whose workflow cannot be started', () => {
  it("closes the first request as EXPIRED, and the requester's retry grants once", async () => {
    const employee = newEmployee('rights-start');
    const token = await sandbox.accessTokenOf('itsme', employee.attributes);
    const personId = String(decodeJwt(token).person_id);
    // The SDK's three attempts of StartExecution all fail: the API answers 5xx after persisting.
    await addFaults([{ target: 'sfn', operation: 'StartExecution', error: 'ThrottlingException', count: 3 }]);

    const answers = await withClientRetries(() =>
      sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
        token,
        body: { application: 'KLIP', role: 'klb-beheerder', justification: 'fault run' },
      }),
    );
    const injected = await hits();
    faultReport.push({
      workflow: 'right request',
      fault: 'StartExecution throttled beyond the SDK retries',
      injected,
    });
    await clearFaults();

    expect(injected).toEqual([3]);
    expect(answers[0]?.status).toBeGreaterThanOrEqual(500);
    expect(answers.at(-1)?.status, JSON.stringify(answers.at(-1)?.body)).toBe(202);
    const requestId = String(answers.at(-1)?.body.requestId);
    // Nothing waits forever: the request whose start failed is closed, and it blocks no new one.
    const expired = (
      await listAll(`/organisations/${ORG}/right-requests?status=EXPIRED`, administrator)
    ).filter((item) => (item.requester as { personId: string }).personId === personId);
    expect(expired).toHaveLength(answers.length - 1);
    expect(expired.map((item) => item.requestId)).not.toContain(requestId);

    await waitingForDecision(rightsKeys.request(requestId));
    const decided = await sandbox.call('POST', `/organisations/${ORG}/right-requests/${requestId}/decision`, {
      token: administrator,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect(await settledMails(employee.email, 'right-request-approved')).toHaveLength(1);
    const grants = (await listAll(`/organisations/${ORG}/grants`, administrator)).filter(
      (grant) => grant.personId === personId,
    );
    expect(grants.map((grant) => grant.requestId)).toEqual([requestId]);
  });
});

describe('right request under a fault that outlasts every retry', () => {
  it('closes the request as EXPIRED with one audit entry and grants nothing when apply-outcome keeps failing', async () => {
    const employee = newEmployee('rights-down');
    const token = await sandbox.accessTokenOf('itsme', employee.attributes);
    const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
      token,
      body: { application: 'KLIP', role: 'klb-beheerder' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const requestId = String(requested.body.requestId);
    await waitingForDecision(rightsKeys.request(requestId));
    await addFaults([
      {
        target: 'lambda',
        operation: 'Rights/WorkflowTask',
        action: 'apply-outcome',
        error: 'ServiceException',
      },
    ]);

    const decided = await sandbox.call('POST', `/organisations/${ORG}/right-requests/${requestId}/decision`, {
      token: administrator,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    // Retry exhausted, Catch → record-failure: the request is closed, the execution fails (its alarm).
    const expired = await poll(
      () => listAll(`/organisations/${ORG}/right-requests?status=EXPIRED`, administrator),
      (items) => items.some((item) => item.requestId === requestId),
      { attempts: 200, intervalMs: 100 },
    );
    const injected = await hits();
    faultReport.push({
      workflow: 'right request (retries exhausted)',
      fault: 'apply-outcome fails on every attempt',
      injected,
    });
    await clearFaults();

    expect(expired.filter((item) => item.requestId === requestId)).toHaveLength(1);
    // Retry MaxAttempts 6 for Lambda.ServiceException: the first attempt and 6 retries, then the Catch.
    expect(injected).toEqual([7]);
    const grants = await listAll(`/organisations/${ORG}/grants`, administrator);
    expect(grants.filter((grant) => grant.requestId === requestId)).toHaveLength(0);
    const audit = await auditOf(
      (entry) => (entry.details as Record<string, string>)?.requestId === requestId,
    );
    expect(audit.filter((action) => action === 'right-request-expired')).toHaveLength(1);
    expect(audit).not.toContain('right-request-approved');
    expect(await mails(employee.email, 'right-request-approved')).toHaveLength(0);
    // The requester is told once that processing failed, not that no decision came in time.
    expect(await settledMails(employee.email, 'right-request-failed')).toHaveLength(1);
    expect(await mails(employee.email, 'right-request-expired')).toHaveLength(0);
  });
});

const BIS_CASES: FaultCase[] = [
  ...transactionCases('the transaction that issues the number'),
  atDecision(
    'apply-outcome crashes after issuing the number',
    crashAfter('Bis/WorkflowTask', 'apply-outcome'),
  ),
  ...approvalCases('Bis/Api', 'Bis/WorkflowTask', 'number mail'),
  ...submissionCases('Bis/WorkflowTask', "agents' mail"),
];

const BIS_BODY = bisApplication();

describe('BIS registration under faults', () => {
  it.each(BIS_CASES)('issues one number, mails it once and records it once when $name', async (faultCase) => {
    const email = `bis-${runId}-${people++}@example.org`;
    const token = await sandbox.accessTokenOf('eidas', eidasPerson());
    const {
      id: registrationId,
      approved,
      injected,
    } = await approvedUnderFaults(faultCase, {
      workflow: 'BIS registration',
      submit: () => sandbox.call('POST', '/bis-registrations', { token, body: { ...BIS_BODY, email } }),
      idField: 'registrationId',
      key: (id) => bisKeys.registration(id),
      decision: (id) => `/agent/bis-registrations/${id}/decision`,
      decider: officer,
      email,
      approvedMail: 'bis-approved',
    });

    expect(injected.every((count) => count > 0)).toBe(true);
    expect(approved).toHaveLength(1);
    expect(await reviewMails('bis-review-requested', registrationId)).toHaveLength(1);
    expect(await mails(email, 'bis-submitted')).toHaveLength(1);
    const registration = await sandbox.call('GET', `/bis-registrations/${registrationId}`, { token });
    expect(registration.body.status).toBe('APPROVED');
    const bisNumber = String(registration.body.bisNumber);
    expect(bisNumber).toMatch(/^\d{11}$/);
    const history = registration.body.history as { status: string }[];
    expect(history.filter((entry) => entry.status === 'APPROVED')).toHaveLength(1);
    expect(String(approved[0]?.text).replace(/\D/g, '')).toContain(bisNumber);
    const me = await sandbox.call('GET', '/me', { token });
    expect(me.body.insz).toBe(bisNumber);
  });
});

const FOREIGN_CASES: FaultCase[] = [
  atDecision(
    'apply-outcome crashes after creating the organisation',
    crashAfter('Organisations/WorkflowTask', 'apply-outcome'),
  ),
  atDecision(
    'DynamoDB throttles the approval transaction beyond the SDK retries',
    fail('dynamodb', 'TransactWriteItems', 'ThrottlingException', 6),
  ),
  ...approvalCases('Organisations/Registrations', 'Organisations/WorkflowTask', 'approval mail'),
  ...submissionCases('Organisations/WorkflowTask', "security officers' mail"),
];

/**
 * A different company per case: names that read alike (one skeleton, issue 19) would make each later
 * case a second registration of the first one's organisation, which waits for a second officer.
 */
const COMPANY_WORDS = [
  'Alpha',
  'Bravo',
  'Charlie',
  'Delta',
  'Echo',
  'Foxtrot',
  'Golf',
  'Hotel',
  'Kilo',
  'Oscar',
  'India',
  'Juliett',
  'Lima',
  'Mike',
  'November',
  'Papa',
  'Quebec',
  'Romeo',
  'Sierra',
  'Tango',
  'Uniform',
  'Victor',
  'Whiskey',
  'Yankee',
  'Zulu',
];
let foreignCase = 0;

/** Uploads the test extract as the caller's; its upload id. */
async function uploadExtract(token: string): Promise<string> {
  const upload = await sandbox.call('POST', '/uploads', {
    token,
    body: { contentType: 'application/pdf', size: PDF.length },
  });
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const { 'content-length': _length, ...headers } = upload.body.headers as Record<string, string>;
  const put = await fetch(String(upload.body.url), { method: 'PUT', headers, body: PDF });
  expect(put.status).toBe(200);
  return String(upload.body.uploadId);
}

/** The body of a foreign registration of a company of its own (see {@link COMPANY_WORDS}). */
function foreignRegistration(uploadId: string, email: string) {
  return {
    name: `Fault Tiefbau ${COMPANY_WORDS[foreignCase++ % COMPANY_WORDS.length]} GmbH`,
    country: 'DE',
    registrationNumber: `HRB ${runId.toUpperCase()}${people++}`,
    address: { street: 'Hohe Straße', houseNumber: '12', postalCode: '50667', city: 'Köln', country: 'DE' },
    uploadId,
    email,
  };
}

describe('foreign registration under faults', () => {
  it.each(FOREIGN_CASES)(
    'creates one organisation with one administrator and mails once when $name',
    async (faultCase) => {
      const email = `foreign-${runId}-${people++}@example.org`;
      const applicantLogin = eidasPerson();
      const applicant = await sandbox.accessTokenOf('eidas', applicantLogin);
      const body = foreignRegistration(await uploadExtract(applicant), email);
      const {
        id: registrationId,
        approved,
        injected,
      } = await approvedUnderFaults(faultCase, {
        workflow: 'foreign registration',
        submit: () =>
          sandbox.call('POST', '/organisations/foreign-registrations', { token: applicant, body }),
        idField: 'registrationId',
        key: (id) => foreignRegistrationKeys.registration(id),
        decision: (id) => `/security/foreign-registrations/${id}/decision`,
        decider: officer,
        email,
        approvedMail: 'foreign-registration-approved',
      });

      expect(injected.every((count) => count > 0)).toBe(true);
      expect(approved).toHaveLength(1);
      expect(await reviewMails('foreign-registration-review-requested', registrationId)).toHaveLength(1);
      const registration = await sandbox.call(
        'GET',
        `/organisations/foreign-registrations/${registrationId}`,
        {
          token: applicant,
        },
      );
      expect(registration.body.status).toBe('APPROVED');
      const orgCode = String(registration.body.orgCode);
      const next = await sandbox.accessTokenOf('eidas', applicantLogin);
      expect(decodeJwt(next).admin_of).toEqual([orgCode]);
      const organisation = await sandbox.call('GET', `/organisations/${orgCode}`, { token: next });
      expect(organisation.body).toMatchObject({ kind: 'foreign', administratorCount: 1 });
    },
  );
});

/**
 * The two registrations reviewed by federal or security officers, for the cases that leave a request
 * behind: how to submit one, where its item and queue are, and how it is decided.
 */
interface ReviewedFlow {
  name: string;
  task: string;
  /** Submits a new registration as a new applicant; the submitting call, to be retried. */
  prepare(): Promise<{ submit: () => Promise<CallResult>; email: string }>;
  key(id: string): TableKey;
  /** The officers' queue (`?status=` follows). */
  queue: string;
  decision(id: string): string;
  approvedMail: string;
  /** What the applicant is told when processing failed (record-failure). */
  failedMail: string;
}

const REVIEWED_FLOWS: ReviewedFlow[] = [
  {
    name: 'BIS registration',
    task: 'Bis/WorkflowTask',
    async prepare() {
      const email = `bis-stuck-${runId}-${people++}@example.org`;
      const token = await sandbox.accessTokenOf('eidas', eidasPerson());
      const submit = () =>
        sandbox.call('POST', '/bis-registrations', { token, body: { ...BIS_BODY, email } });
      return { submit, email };
    },
    key: (id) => bisKeys.registration(id),
    queue: '/agent/bis-registrations',
    decision: (id) => `/agent/bis-registrations/${id}/decision`,
    approvedMail: 'bis-approved',
    failedMail: 'bis-failed',
  },
  {
    name: 'foreign registration',
    task: 'Organisations/WorkflowTask',
    async prepare() {
      const email = `foreign-stuck-${runId}-${people++}@example.org`;
      const token = await sandbox.accessTokenOf('eidas', eidasPerson());
      const body = foreignRegistration(await uploadExtract(token), email);
      const submit = () => sandbox.call('POST', '/organisations/foreign-registrations', { token, body });
      return { submit, email };
    },
    key: (id) => foreignRegistrationKeys.registration(id),
    queue: '/security/foreign-registrations',
    decision: (id) => `/security/foreign-registrations/${id}/decision`,
    approvedMail: 'foreign-registration-approved',
    failedMail: 'foreign-registration-failed',
  },
];

/** The ids of the officers' queue in `status`. */
async function queued(flow: ReviewedFlow, status: string): Promise<string[]> {
  return (await listAll(`${flow.queue}?status=${status}`, officer)).map((item) =>
    String(item.registrationId),
  );
}

describe.each(REVIEWED_FLOWS)('$name whose review cannot be started', (flow) => {
  it("closes the first registration as EXPIRED, and the applicant's retry is reviewed and approved once", async () => {
    const { submit, email } = await flow.prepare();
    const expiredBefore = new Set(await queued(flow, 'EXPIRED'));
    // The SDK's three attempts of StartExecution all fail: the API answers 5xx after persisting.
    await addFaults([fail('sfn', 'StartExecution', 'ThrottlingException', 3)]);

    const answers = await withClientRetries(submit);
    const injected = await hits();
    faultReport.push({
      workflow: flow.name,
      fault: 'StartExecution throttled beyond the SDK retries',
      injected,
    });
    await clearFaults();

    expect(injected).toEqual([3]);
    expect(answers[0]?.status).toBeGreaterThanOrEqual(500);
    const accepted = answers.at(-1);
    expect(accepted?.status, JSON.stringify(accepted?.body)).toBe(202);
    const registrationId = String(accepted?.body.registrationId);
    // Nothing waits forever: the registration whose start failed is closed and blocks no new one.
    const expired = (await queued(flow, 'EXPIRED')).filter((id) => !expiredBefore.has(id));
    expect(expired).toHaveLength(answers.length - 1);
    expect(expired).not.toContain(registrationId);

    await waitingForDecision(flow.key(registrationId));
    const decided = await sandbox.call('POST', flow.decision(registrationId), {
      token: officer,
      body: { decision: 'approve' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(await settledMails(email, flow.approvedMail)).toHaveLength(1);
  });
});

describe.each(REVIEWED_FLOWS)('$name under a fault that outlasts every retry', (flow) => {
  it('closes the registration as EXPIRED and approves nothing when apply-outcome keeps failing', async () => {
    const { submit, email } = await flow.prepare();
    const accepted = await submitted(submit);
    const registrationId = String(accepted.body.registrationId);
    await waitingForDecision(flow.key(registrationId));
    await addFaults([
      { target: 'lambda', operation: flow.task, action: 'apply-outcome', error: 'ServiceException' },
    ]);

    const decided = await sandbox.call('POST', flow.decision(registrationId), {
      token: officer,
      body: { decision: 'approve' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    // Retry exhausted, Catch → record-failure: the registration is closed, the execution fails (its alarm).
    await poll(
      () => queued(flow, 'EXPIRED'),
      (ids) => ids.includes(registrationId),
      { attempts: 200, intervalMs: 100 },
    );
    const injected = await hits();
    faultReport.push({
      workflow: `${flow.name} (retries exhausted)`,
      fault: 'apply-outcome fails on every attempt',
      injected,
    });
    await clearFaults();

    // Retry MaxAttempts 6 for Lambda.ServiceException: the first attempt and 6 retries, then the Catch.
    expect(injected).toEqual([7]);
    expect(await queued(flow, 'APPROVED')).not.toContain(registrationId);
    expect(await mails(email, flow.approvedMail)).toHaveLength(0);
    // The applicant is told once that processing failed, never that it was approved.
    expect(await settledMails(email, flow.failedMail)).toHaveLength(1);
  });
});

const APPOINTMENT_CASES: FaultCase[] = [
  {
    name: 'the API function crashes after appointing',
    at: 'decision',
    rules: [{ target: 'lambda', operation: 'Organisations/Api', error: 'crash-after', count: 1 }],
  },
  {
    name: 'the appointment transaction commits but its response is lost',
    at: 'decision',
    rules: [
      {
        target: 'dynamodb',
        operation: 'TransactWriteItems',
        error: 'InternalServerError',
        phase: 'after',
        count: 1,
      },
    ],
  },
  {
    name: 'DynamoDB throttles the appointment transaction beyond the SDK retries',
    at: 'decision',
    rules: [
      {
        target: 'dynamodb',
        operation: 'TransactWriteItems',
        error: 'ProvisionedThroughputExceededException',
        count: 5,
      },
    ],
  },
];

describe('appointment under faults', () => {
  it.each(APPOINTMENT_CASES)('appoints once with one audit entry when $name', async ({ name, rules }) => {
    const appointee = newEmployee('appointee');
    const personId = String(decodeJwt(await sandbox.accessTokenOf('itsme', appointee.attributes)).person_id);
    await addFaults(rules);
    const answers = await withClientRetries(() =>
      sandbox.call('POST', `/organisations/${ORG}/administrators`, {
        token: administrator,
        body: { insz: appointee.person.insz },
      }),
    );
    const injected = await hits();
    faultReport.push({ workflow: 'appointment', fault: name, injected });
    await clearFaults();

    expect(injected.every((count) => count > 0)).toBe(true);
    expect(answers.at(-1)?.status, JSON.stringify(answers.at(-1)?.body)).toBeLessThan(300);
    const members = await listAll(`/organisations/${ORG}/members`, administrator);
    expect(members.filter((member) => member.personId === personId)).toMatchObject([
      { localAdministrator: true },
    ]);
    const audit = await auditOf((entry) => entry.subject === personId);
    expect(audit).toEqual(['administrator-appointed']);
  });
});

const EXPIRY_CASES: FaultCase[] = [
  {
    name: 'SES throttles the notice beyond the SDK retries',
    at: 'decision',
    rules: [{ target: 'ses', operation: 'SendEmail', error: 'TooManyRequestsException', count: 3 }],
  },
  {
    name: 'the run crashes after mailing the notices',
    at: 'decision',
    rules: [{ target: 'lambda', operation: 'Rights/GrantExpiry', error: 'crash-after', count: 1 }],
  },
  {
    name: 'DynamoDB fails the run with server errors beyond the SDK retries',
    at: 'decision',
    rules: [{ target: 'dynamodb', operation: 'Query', error: 'InternalServerError', count: 4 }],
  },
];

describe('grant expiry under faults', () => {
  it.each(EXPIRY_CASES)(
    'sends one notice per grant over the failed run and its rerun when $name',
    async ({ name, rules }) => {
      const employee = newEmployee('expiry');
      const token = await sandbox.accessTokenOf('itsme', employee.attributes);
      const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
        token,
        body: { application: 'KLIP', role: 'klb-operator' },
      });
      expect(requested.status, JSON.stringify(requested.body)).toBe(202);
      const requestId = String(requested.body.requestId);
      await waitingForDecision(rightsKeys.request(requestId));
      const lastDay = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
      const decided = await sandbox.call(
        'POST',
        `/organisations/${ORG}/right-requests/${requestId}/decision`,
        {
          token: administrator,
          body: { decision: 'approve', validUntil: lastDay },
        },
      );
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      await settledMails(employee.email, 'right-request-approved');

      await addFaults(rules);
      // The failed call is retried inside the execution (Retry on TransientError, crashes, Lambda
      // errors); a run that still fails is run again by EventBridge Scheduler or the next day.
      const runs = await withClientRetries(() => sandbox.call('POST', '/local/jobs/grant-expiry'));
      const injected = await hits();
      faultReport.push({ workflow: 'grant expiry', fault: name, injected });
      await clearFaults();

      expect(injected.every((count) => count > 0)).toBe(true);
      expect(runs.at(-1)?.status).toBe(200);
      const again = await sandbox.call('POST', '/local/jobs/grant-expiry');
      expect(again.status).toBe(200);
      expect(await mails(employee.email, 'grant-expiring')).toHaveLength(1);
    },
  );
});

const EXPIRED_GRANT_CASES: FaultCase[] = [
  ...transactionCases('the expiry transaction'),
  atDecision(
    'SES fails the expiry notice with server errors beyond the SDK retries',
    fail('ses', 'SendEmail', 'InternalServerError', 4),
  ),
];

describe('grant expiry under faults: the expiry itself', () => {
  it.each(EXPIRED_GRANT_CASES)(
    'removes the grant once, with one grant-expired entry and one notice, when $name',
    async ({ name, rules }) => {
      const employee = newEmployee('expired');
      const personId = String(decodeJwt(await sandbox.accessTokenOf('itsme', employee.attributes)).person_id);
      // A grant whose last day was yesterday, written by the platform's own builder (the sweep looks
      // back a week): the state the daily run finds after a grant's validity ended.
      const grantId = newId();
      const day = 86_400_000;
      await db.send(
        new PutCommand({
          TableName: SANDBOX_TABLE,
          Item: grantItem({
            grantId,
            personId,
            orgCode: ORG,
            application: 'KLIP',
            role: 'klb-operator',
            validFrom: new Date(Date.now() - 30 * day).toISOString(),
            validUntil: new Date(Date.now() - day).toISOString(),
            grantedBy: 'system',
            requestId: grantId,
          }),
        }),
      );

      await addFaults(rules);
      const runs = await withClientRetries(() => sandbox.call('POST', '/local/jobs/grant-expiry'));
      const injected = await hits();
      faultReport.push({ workflow: 'grant expiry', fault: name, injected });
      await clearFaults();

      expect(injected.every((count) => count > 0)).toBe(true);
      expect(runs.at(-1)?.status).toBe(200);
      expect((await sandbox.call('POST', '/local/jobs/grant-expiry')).status).toBe(200);
      const grants = await listAll(`/organisations/${ORG}/grants`, administrator);
      expect(grants.filter((grant) => grant.grantId === grantId)).toHaveLength(0);
      const audit = await auditOf(
        (entry) => (entry.details as Record<string, string> | undefined)?.grantId === grantId,
      );
      expect(audit).toEqual(['grant-expired']);
      expect(await settledMails(employee.email, 'grant-expired')).toHaveLength(1);
    },
  );
});

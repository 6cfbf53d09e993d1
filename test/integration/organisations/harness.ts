/**
 * Runs the organisations context locally the way it runs in AWS: the real route handlers (persona
 * events in, proxy results out), the state machine synthesized from the `Organisations` construct
 * executed by `LocalWorkflowRunner` with the real workflow-task use cases, DynamoDB Local, the S3
 * emulator behind the real S3 upload store, and an outbox behind the idempotent mailer.
 */

import { S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { type RunningS3Emulator, startS3Emulator } from '#local/aws/s3-emulator';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { LocalWorkflowRunner } from '#local/step-functions';
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createRouter, type RouterHandler } from '#shared/http/router';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import type { Outbox } from '#shared/mailer';
import type { ApiEventOptions } from '#test/helpers/api-events';
import {
  type ApiAnswer,
  apiCaller,
  cachedWorkflow,
  outboxMailer,
  pollUntil,
} from '#test/helpers/context-harness';
import type { TestTable } from '#test/helpers/dynamodb';
import { person, type SeededPerson, seedPerson } from '#test/helpers/organisations';
import { uniqueEnterpriseNumber, uniqueInsz } from '#test/helpers/unique-ids';
import { foreignRegistrationApproval } from '../../../lambdas/organisations/approval.ts';
import { createDynamoCompanyRegister } from '../../../lambdas/organisations/company-register.ts';
import { createDynamoOrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';
import type {
  ForeignRegistrationsApiDeps,
  OrganisationsApiDeps,
  OrganisationsTaskDeps,
} from '../../../lambdas/organisations/ports.ts';
import { createForeignRegistrationRoutes } from '../../../lambdas/organisations/registration-routes.ts';
import { createOrganisationsRoutes } from '../../../lambdas/organisations/routes.ts';
import { createS3UploadStore } from '../../../lambdas/organisations/uploads.ts';
import { SECURITY_OFFICERS_EMAIL, synthOrganisationsFixture } from './organisations-stack.ts';

export { type ApiAnswer, expectProblem } from '#test/helpers/context-harness';
export { uniqueEnterpriseNumber, uniqueInsz } from '#test/helpers/unique-ids';

/** The ASL of the construct's state machine (synthesized once per test file). */
export const organisationsDefinition = cachedWorkflow(synthOrganisationsFixture, 'OrganisationsWorkflow');

/** A minimal valid PDF. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
export const BUCKET = 'extracts';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000';

/** A foreign registration body; `uploadId` must come from an upload. */
export function foreignBody(
  uploadId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    // Unique per call: a registration named like an approved one of another test would be a look-alike.
    name: `Muster Bau ${Math.random().toString(36).slice(2, 8)} GmbH`,
    country: 'DE',
    registrationNumber: `HRB ${Math.floor(Math.random() * 1e8)}`,
    address: { street: 'Hauptstraße', houseNumber: '1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    uploadId,
    ...overrides,
  };
}

/** A running organisations context on one test table. */
export interface OrganisationsHarness {
  runner: LocalWorkflowRunner;
  outbox: Outbox;
  s3: RunningS3Emulator;
  /** The ports of both API functions (`Organisations/Api` and `Organisations/Registrations`). */
  apiDeps: OrganisationsApiDeps & ForeignRegistrationsApiDeps;
  taskDeps: OrganisationsTaskDeps;
  api: RouterHandler;
  call(options: ApiEventOptions): Promise<ApiAnswer>;
  /** A person profile (+ INSZ link when it has an INSZ). */
  seed(overrides?: Partial<SeededPerson>): Promise<SeededPerson>;
  /** A company register entry. */
  registerCompany(enterpriseNumber: string, name: string, legalRepresentatives: string[]): Promise<void>;
  /** Calls as `personId` (itsme persona; add groups with `groups`). */
  as(personId: string, options: ApiEventOptions, groups?: string): Promise<ApiAnswer>;
  /** POST /uploads then PUT the body to the presigned URL; returns the upload id. */
  upload(personId: string, body?: Buffer): Promise<string>;
  /** Waits until the workflow stored a task token. */
  waitUntilWaiting(registrationId: string): Promise<void>;
  mails(): ReturnType<Outbox['list']>;
  close(): Promise<void>;
}

/** Options of {@link createOrganisationsHarness}. */
export interface HarnessOptions {
  timeScale: number;
}

/** Builds a harness; close it after the test. */
export async function createOrganisationsHarness(
  table: TestTable,
  options: HarnessOptions,
): Promise<OrganisationsHarness> {
  const { definition, taskLogicalId } = organisationsDefinition();
  const s3 = await startS3Emulator();
  const s3Client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials: localCredentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const uploads = createS3UploadStore({ bucketName: BUCKET, kmsKeyArn: KMS_KEY, client: s3Client });
  const repository = createDynamoOrganisationsRepository({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  const register = createDynamoCompanyRegister({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  const { outbox, mailer } = outboxMailer(table);
  const taskDeps: OrganisationsTaskDeps = {
    repository,
    uploads,
    mailer,
    now: () => new Date(),
    securityOfficersEmail: SECURITY_OFFICERS_EMAIL,
  };
  const runner = new LocalWorkflowRunner({
    definition,
    handlers: { [taskLogicalId]: createWorkflowTaskHandler(foreignRegistrationApproval(taskDeps)) },
    stateMachineName: 'ForeignRegistration',
    timeScale: options.timeScale,
  });
  const apiDeps: OrganisationsApiDeps & ForeignRegistrationsApiDeps = {
    repository,
    register,
    uploads,
    workflow: runner.port(),
    mailer,
    now: () => new Date(),
  };
  const api = createRouter([
    ...createOrganisationsRoutes(apiDeps),
    ...createForeignRegistrationRoutes(apiDeps),
  ]);

  const call = apiCaller(api);
  const as = (personId: string, event: ApiEventOptions, groups?: string) =>
    call({
      persona: 'userWithInsz',
      ...event,
      claims: {
        person_id: personId,
        insz: undefined,
        ...(groups ? { 'cognito:groups': groups } : {}),
        ...event.claims,
      },
    });

  return {
    runner,
    outbox,
    s3,
    apiDeps,
    taskDeps,
    api,
    call,
    as,
    async seed(overrides = {}) {
      const seeded = person({ insz: uniqueInsz(), ...overrides });
      await seedPerson(table, seeded);
      if (seeded.insz) {
        await table.documentClient.send(
          new PutCommand({
            TableName: table.tableName,
            Item: {
              ...keys.inszLink(seeded.insz),
              type: 'inszLink',
              personId: seeded.personId,
              ...(seeded.inszEvidence ? { evidence: seeded.inszEvidence } : {}),
            },
          }),
        );
      }
      return seeded;
    },
    async registerCompany(enterpriseNumber, name, legalRepresentatives) {
      await register.putCompany({ enterpriseNumber, name, legalRepresentatives });
    },
    async upload(personId, body = PDF) {
      const answer = await as(personId, {
        method: 'POST',
        resource: '/uploads',
        body: { contentType: 'application/pdf', size: body.length },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const put = await fetch(String(answer.body.url), {
        method: 'PUT',
        headers: answer.body.headers as Record<string, string>,
        body: new Uint8Array(body),
      });
      expect(put.status).toBe(200);
      return String(answer.body.uploadId);
    },
    waitUntilWaiting: (registrationId) =>
      pollUntil(
        () => repository.getForeignRegistration(registrationId),
        (registration) => Boolean(registration?.waiting),
        (registration) => `${registrationId} not waiting: ${registration?.status}`,
      ),
    mails: () => outbox.list().toReversed(),
    async close() {
      await runner.close();
      s3Client.destroy();
      await s3.close();
    },
  };
}

export { newId };

/** The security officers' group. */
export const OFFICERS = 'security-officers';

/** A security officer (`officerId`) decides a foreign registration. */
export const decideForeignRegistration = (
  h: OrganisationsHarness,
  registrationId: string,
  body: Record<string, unknown>,
  officerId = 'OFFICER1',
): Promise<ApiAnswer> =>
  h.as(
    officerId,
    {
      method: 'POST',
      resource: '/security/foreign-registrations/{id}/decision',
      pathParameters: { id: registrationId },
      body,
    },
    OFFICERS,
  );

/**
 * Two officers (OFFICER1, OFFICER2) approve two registrations at the same moment; resolves once both
 * workflows ended, with the two answers and the two registrations' statuses, in that order.
 */
export async function approveAtOnce(
  h: OrganisationsHarness,
  one: string,
  other: string,
): Promise<{ answers: ApiAnswer[]; statuses: (string | undefined)[] }> {
  const answers = await Promise.all([
    decideForeignRegistration(h, one, { decision: 'approve' }, 'OFFICER1'),
    decideForeignRegistration(h, other, { decision: 'approve' }, 'OFFICER2'),
  ]);
  await Promise.all([h.runner.waitForCompletion(one), h.runner.waitForCompletion(other)]);
  const statuses = await Promise.all(
    [one, other].map(async (id) => (await h.apiDeps.repository.getForeignRegistration(id))?.status),
  );
  return { answers, statuses };
}

/**
 * A seeded legal representative who claimed a new company called `name` (asserting the 201): the
 * start of every scenario about an organisation's administrators.
 */
export async function claimedCompany(
  h: OrganisationsHarness,
  name: string,
): Promise<{ lr: SeededPerson; orgCode: string }> {
  const lr = await h.seed();
  const orgCode = uniqueEnterpriseNumber();
  await h.registerCompany(orgCode, name, [String(lr.insz)]);
  const claimed = await h.as(lr.personId, {
    method: 'POST',
    resource: '/organisations/claims',
    body: { enterpriseNumber: orgCode },
  });
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
  return { lr, orgCode };
}

/** `POST /organisations/{orgCode}/administrators` as `actorId`: appoints the holder of `insz`. */
export const appointAdministrator = (
  h: OrganisationsHarness,
  actorId: string,
  orgCode: string,
  insz: string | undefined,
): Promise<ApiAnswer> =>
  h.as(actorId, {
    method: 'POST',
    resource: '/organisations/{orgCode}/administrators',
    pathParameters: { orgCode },
    body: { insz },
  });

import { vi } from 'vitest';
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import type { MailMessage } from '#shared/mailer';
import type { WorkflowPort } from '#shared/workflow';
import type { BisRepository } from '../../../lambdas/bis/bis-repository.ts';
import type { BisApiDeps, BisTaskDeps } from '../../../lambdas/bis/ports.ts';
import type { BisRegistration, PendingDecision } from '../../../lambdas/bis/registration.ts';

/** A repository whose every method fails unless the test gives it an implementation. */
export function fakeRepository(overrides: Partial<BisRepository> = {}): BisRepository {
  const unexpected = (name: string) =>
    vi.fn(async () => {
      throw new Error(`unexpected repository call ${name}`);
    });
  const names: (keyof BisRepository)[] = [
    'getProfile',
    'createRegistration',
    'getRegistration',
    'getHistory',
    'listByStatus',
    'listByOwner',
    'claimDecision',
    'releaseDecision',
    'applyCorrection',
    'storeDecisionToken',
    'requestCorrection',
    'reject',
    'close',
    'appendHistory',
    'nextSequence',
    'sequencesTaken',
    'approve',
  ];
  // Reading the sequence counter writes nothing: an approval's check sees a fresh date unless a test says otherwise.
  const harmless: Partial<BisRepository> = { sequencesTaken: vi.fn(async () => 0) };
  return Object.fromEntries(
    names.map((name) => [name, overrides[name] ?? harmless[name] ?? unexpected(name)]),
  ) as unknown as BisRepository;
}

/** A workflow port recording what it is asked. */
export function fakeWorkflow(overrides: Partial<WorkflowPort> = {}): WorkflowPort {
  return {
    startExecution: vi.fn(async (name: string) => ({ executionArn: `arn:local:${name}` })),
    sendTaskSuccess: vi.fn(async () => undefined),
    sendTaskFailure: vi.fn(async () => undefined),
    ...overrides,
  };
}

export const NOW = new Date('2026-03-02T10:00:00.000Z');

let counter = 0;
/** Deterministic ULID-shaped ids. */
export function sequentialIds(): () => string {
  return () => `01JZ${String(++counter).padStart(22, '0')}`;
}

export function apiDeps(repository: BisRepository, workflow: WorkflowPort = fakeWorkflow()): BisApiDeps {
  return { repository, workflow, now: () => NOW, newId: sequentialIds() };
}

export function taskDeps(repository: BisRepository, sent: MailMessage[] = []): BisTaskDeps {
  return {
    repository,
    mailer: { send: vi.fn(async (message: MailMessage) => void sent.push(message)) },
    now: () => NOW,
    agentsEmail: 'agents@example.be',
    newId: sequentialIds(),
  };
}

export const APPLICANT_ID = '01JZ0000000000000000000001';
export const AGENT_ID = '01JZ0000000000000000000003';

export function caller(overrides: Partial<Caller> = {}): Caller {
  return {
    personId: APPLICANT_ID,
    groups: [],
    idp: 'eidas',
    loa: 'substantial',
    insz: null,
    username: '',
    authTime: 0,
    ...overrides,
  };
}

export const agent = (): Caller => caller({ personId: AGENT_ID, groups: ['bis-agents'], idp: 'itsme' });

export function data(overrides: Partial<PersonData> = {}): PersonData {
  return {
    givenNames: 'Jean-Luc',
    familyName: 'Dupré',
    birthDate: '1985-09-30',
    sex: 'M',
    nationality: 'FR',
    placeOfBirth: 'Lyon',
    address: { street: 'Rue Haute', houseNumber: '1', postalCode: '1000', city: 'Brussels', country: 'BE' },
    email: 'jl@example.fr',
    phone: '+32470123456',
    ...overrides,
  };
}

export function registration(overrides: Partial<BisRegistration> = {}): BisRegistration {
  return {
    registrationId: '01JZREG0000000000000000001',
    personId: APPLICANT_ID,
    status: 'PENDING_REVIEW',
    data: data(),
    locale: 'fr',
    round: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    waiting: true,
    ...overrides,
  };
}

export function decision(overrides: Partial<PendingDecision> = {}): PendingDecision {
  return {
    decisionId: '01JZDEC0000000000000000001',
    decision: 'approve',
    decidedBy: AGENT_ID,
    decidedAt: NOW.toISOString(),
    ...overrides,
  };
}

import { describe, expect, it, vi } from 'vitest';
import { issueBisNumber, parseInsz } from '#shared/belgian-ids';
import type { ApproveOutcome } from '../../../lambdas/bis/bis-repository.ts';
import {
  BisNumberCollisionError,
  BisSequenceExhaustedError,
  PersonAlreadyHasInszError,
  RegistrationStateError,
} from '../../../lambdas/bis/errors.ts';
import {
  approveWithBisNumber,
  bisSequenceExhausted,
  MAX_ISSUE_ATTEMPTS,
} from '../../../lambdas/bis/issue-bis-number.ts';
import { data, decision, fakeRepository, registration, taskDeps } from './fakes.ts';

function counter(start = 1) {
  let next = start;
  return vi.fn(async () => next++);
}

describe('approveWithBisNumber', () => {
  it('issues the number of the next sequence for the birth date and sex when it is free', async () => {
    const approve = vi.fn(async (): Promise<ApproveOutcome> => 'done');
    const nextSequence = counter(7);
    const repository = fakeRepository({ nextSequence, approve });

    const number = await approveWithBisNumber(taskDeps(repository), registration(), decision());

    expect(number).toBe(issueBisNumber({ birthDate: '1985-09-30', sex: 'M', sequence: 7 }));
    expect(parseInsz(number)).toMatchObject({ kind: 'BIS', birthDate: '1985-09-30', sex: 'M' });
    expect(nextSequence).toHaveBeenCalledWith('1985-09-30', 'M');
    expect(approve).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      number,
      expect.objectContaining({ event: 'approved', status: 'APPROVED' }),
    );
  });

  it('moves to the next sequence when the number is taken', async () => {
    const outcomes: ApproveOutcome[] = ['number-taken', 'number-taken', 'done'];
    const approve = vi.fn(async () => outcomes.shift() ?? 'done');
    const repository = fakeRepository({ nextSequence: counter(), approve });

    const number = await approveWithBisNumber(taskDeps(repository), registration(), decision());

    expect(number).toBe(issueBisNumber({ birthDate: '1985-09-30', sex: 'M', sequence: 3 }));
    expect(approve).toHaveBeenCalledTimes(3);
  });

  it('uses the sex-unknown encoding when the applicant gave no sex', async () => {
    const repository = fakeRepository({
      nextSequence: counter(),
      approve: vi.fn(async (): Promise<ApproveOutcome> => 'done'),
    });

    const number = await approveWithBisNumber(
      taskDeps(repository),
      registration({ data: data({ sex: undefined }) }),
      decision(),
    );

    expect(parseInsz(number)).toMatchObject({ kind: 'BIS', sex: null });
  });

  it('fails with BisSequenceExhaustedError when the counter passes the last sequence', async () => {
    const repository = fakeRepository({ nextSequence: counter(500), approve: vi.fn() });

    await expect(
      approveWithBisNumber(taskDeps(repository), registration(), decision()),
    ).rejects.toBeInstanceOf(BisSequenceExhaustedError);
    expect(repository.approve).not.toHaveBeenCalled();
  });

  it('signals the operator when approvals raced past the last sequence', async () => {
    const repository = fakeRepository({ nextSequence: counter(500), approve: vi.fn() });
    const sequenceExhausted = vi.fn();

    await expect(
      approveWithBisNumber(
        { ...taskDeps(repository), signals: { sequenceExhausted } },
        registration(),
        decision(),
      ),
    ).rejects.toBeInstanceOf(BisSequenceExhaustedError);
    expect(sequenceExhausted).toHaveBeenCalledTimes(1);
  });

  it('gives up after a bounded number of collisions', async () => {
    const repository = fakeRepository({
      nextSequence: counter(),
      approve: vi.fn(async (): Promise<ApproveOutcome> => 'number-taken'),
    });

    await expect(
      approveWithBisNumber(taskDeps(repository), registration(), decision()),
    ).rejects.toBeInstanceOf(BisNumberCollisionError);
    expect(repository.approve).toHaveBeenCalledTimes(MAX_ISSUE_ATTEMPTS);
  });

  it('returns the stored number without issuing another when the registration is approved already', async () => {
    const repository = fakeRepository();

    const number = await approveWithBisNumber(
      taskDeps(repository),
      registration({ status: 'APPROVED', bisNumber: '85493001153' }),
      decision(),
    );

    expect(number).toBe('85493001153');
    expect(repository.nextSequence).not.toHaveBeenCalled();
  });

  it('returns the committed number when a retry finds the approval already written', async () => {
    const repository = fakeRepository({
      nextSequence: counter(),
      approve: vi.fn(async (): Promise<ApproveOutcome> => 'state-changed'),
      getRegistration: vi.fn(async () => registration({ status: 'APPROVED', bisNumber: '85493001153' })),
    });

    expect(await approveWithBisNumber(taskDeps(repository), registration(), decision())).toBe('85493001153');
  });

  it('fails with RegistrationStateError when the registration was closed meanwhile', async () => {
    const repository = fakeRepository({
      nextSequence: counter(),
      approve: vi.fn(async (): Promise<ApproveOutcome> => 'state-changed'),
      getRegistration: vi.fn(async () => registration({ status: 'EXPIRED' })),
    });

    await expect(
      approveWithBisNumber(taskDeps(repository), registration(), decision()),
    ).rejects.toBeInstanceOf(RegistrationStateError);
  });

  it('fails with PersonAlreadyHasInszError when the applicant got an INSZ meanwhile', async () => {
    const repository = fakeRepository({
      nextSequence: counter(),
      approve: vi.fn(async (): Promise<ApproveOutcome> => 'person-has-insz'),
    });

    await expect(
      approveWithBisNumber(taskDeps(repository), registration(), decision()),
    ).rejects.toBeInstanceOf(PersonAlreadyHasInszError);
  });
});

describe('bisSequenceExhausted', () => {
  it('holds 499 numbers per birth date with the sex known and 998 with the sex unknown', () => {
    expect(bisSequenceExhausted(0, 'M')).toBe(false);
    expect(bisSequenceExhausted(498, 'F')).toBe(false);
    expect(bisSequenceExhausted(499, 'M')).toBe(true);
    expect(bisSequenceExhausted(499, 'F')).toBe(true);
    expect(bisSequenceExhausted(499, null)).toBe(false);
    expect(bisSequenceExhausted(997, null)).toBe(false);
    expect(bisSequenceExhausted(998, null)).toBe(true);
  });
});

/** The collaborators of the native-account use cases. */

import type { KdfParams } from '#shared/code-card';
import type { CodeCardStore } from '#shared/code-card-store';
import type { PersonData } from '#shared/http/schemas';
import type { Locale } from '#shared/locale';
import type { Mailer } from '#shared/mailer';
import type { BirthDateIndex, PersonRegister } from '#shared/person-register';
import type { CognitoUsers } from './cognito-users.ts';
import type { NativeRepository } from './native-repository.ts';

/** Structured logging (the shared logger of `#shared/logger` fits). */
export interface NativeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The port to the BIS context: a number for a person a registration officer identified in person,
 * through the BIS context's own approval path (`lambdas/bis/issue-in-person.ts` implements it).
 */
export interface BisNumbers {
  /** @returns the BIS number (11 digits). */
  issueInPerson(request: {
    personId: string;
    officerId: string;
    data: PersonData;
    locale: Locale;
    duplicateOverride?: string | undefined;
  }): Promise<string>;
}

/** Everything the native use cases need; tests swap any of it. */
export interface NativeDeps {
  accounts: NativeRepository;
  cards: CodeCardStore;
  register: PersonRegister;
  /** Everyone born on a date (register entries and persons): the duplicate search before a BIS number. */
  birthDates: BirthDateIndex;
  /** BIS numbers on the spot, issued by the BIS context (bound in deps.ts). */
  bisNumbers: BisNumbers;
  cognito: CognitoUsers;
  mailer: Mailer;
  /** Sends the code card with its PDF attached; the same mailer as `mailer` outside tests. */
  cardMailer: Mailer;
  now: () => Date;
  newId: () => string;
  logger: NativeLogger;
  /** Days a temporary password stays valid (the pool's setting), for the activation mail. */
  temporaryPasswordValidityDays: number;
  /** @default generated */
  newUsername?: () => string;
  /** @default generated */
  newTemporaryPassword?: () => string;
  /** @default DEFAULT_KDF (tests use a cheap one) */
  kdf?: KdfParams;
}

/** The collaborators of the native-account use cases. */
import type { Mailer } from '#shared/mailer';
import type { BisRepository } from '../bis/bis-repository.ts';
import type { BirthDateIndex, PersonRegister } from '../identity/person-register.ts';
import type { KdfParams } from './code-card.ts';
import type { CodeCardStore } from './code-card-store.ts';
import type { CognitoUsers } from './cognito-users.ts';
import type { NativeRepository } from './native-repository.ts';

/** Structured logging (the shared logger of `#shared/logger` fits). */
export interface NativeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Everything the native use cases need; tests swap any of it. */
export interface NativeDeps {
  accounts: NativeRepository;
  cards: CodeCardStore;
  register: PersonRegister;
  /** Everyone born on a date (register entries and persons): the duplicate search before a BIS number. */
  birthDates: BirthDateIndex;
  /** The BIS context's repository: BIS numbers on the spot go through its issuing path. */
  bis: BisRepository;
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

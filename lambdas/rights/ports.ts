import type { Mailer } from '#shared/mailer';
import type { RegisterCheck } from '#shared/organisation-access';
import type { WorkflowPort } from '#shared/workflow';
import type { RightsRepository } from './rights-repository.ts';

/** Structured logging as the use cases need it (the shared logger of `#shared/logger` fits). */
export interface RightsLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Ports of the API use cases. */
export interface RightsApiDeps {
  repository: RightsRepository;
  workflow: WorkflowPort;
  /** The clock. */
  now: () => Date;
  /** New ULIDs. @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: RightsLogger;
  /**
   * Re-checks a legal representative's administrator role against the company register before an
   * administrator action. @default no re-check
   */
  registerCheck?: RegisterCheck;
}

/** Ports of the workflow-task and expiry use cases. */
export interface RightsTaskDeps {
  repository: RightsRepository;
  /** Idempotent per `idempotencyKey` (`createMailer` gives one). */
  mailer: Mailer;
  now: () => Date;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: RightsLogger;
}

import type { Mailer } from '#shared/mailer';
import type { WorkflowPort } from '#shared/workflow';
import type { BisRepository } from './bis-repository.ts';

/** Structured logging as the use cases need it (the shared logger of `#shared/logger` fits). */
export interface BisLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * Operator signals of the BIS context: the function's metrics (`BisSequenceExhausted`, namespace
 * `eid-access`, dimension `service`), alarmed on by `Observability`.
 */
export interface BisSignals {
  /** A BIS number could not be issued: every sequence of the birth date and sex is taken. */
  sequenceExhausted(): void;
}

/** Ports of the API use cases. */
export interface BisApiDeps {
  repository: BisRepository;
  workflow: WorkflowPort;
  /** @default no signal */
  signals?: BisSignals;
  /** The clock. */
  now: () => Date;
  /** New ULIDs. @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: BisLogger;
}

/** Ports of the workflow-task use cases. */
export interface BisTaskDeps {
  repository: BisRepository;
  /** Idempotent per `idempotencyKey` (`createMailer` gives one). */
  mailer: Mailer;
  now: () => Date;
  /** The BIS agents' shared mailbox (env `BIS_AGENTS_EMAIL`). */
  agentsEmail: string;
  /** @default no signal */
  signals?: BisSignals;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: BisLogger;
}

/** A logger that drops everything. */
export const silentLogger: BisLogger = { info: () => {}, warn: () => {}, error: () => {} };

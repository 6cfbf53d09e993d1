import type { Mailer } from '#shared/mailer';
import type { WorkflowPort } from '#shared/workflow';
import type { CompanyRegister } from './company-register.ts';
import type { OrganisationsRepository } from './organisations-repository.ts';
import type { UploadStore } from './uploads.ts';

/** Structured logging as the use cases need it (the shared logger of `#shared/logger` fits). */
export interface OrganisationsLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Ports of the API use cases. */
export interface OrganisationsApiDeps {
  repository: OrganisationsRepository;
  register: CompanyRegister;
  uploads: UploadStore;
  workflow: WorkflowPort;
  /** Idempotent per `idempotencyKey`; tells a claimant they now manage the organisation. */
  mailer: Mailer;
  now: () => Date;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: OrganisationsLogger;
}

/** Ports of the workflow-task use cases. */
export interface OrganisationsTaskDeps {
  repository: OrganisationsRepository;
  uploads: UploadStore;
  mailer: Mailer;
  now: () => Date;
  /** The security officers' shared mailbox (env `SECURITY_OFFICERS_EMAIL`). */
  securityOfficersEmail: string;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: OrganisationsLogger;
}

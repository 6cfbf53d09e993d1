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

/** What both API functions' use cases share. */
interface ApiDepsBase {
  repository: OrganisationsRepository;
  /** Idempotent per `idempotencyKey`. */
  mailer: Mailer;
  now: () => Date;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: OrganisationsLogger;
}

/**
 * Ports of the organisation API's use cases (`Organisations/Api`): claims check the company
 * register; the mailer tells a claimant and appointed administrators what changed.
 */
export interface OrganisationsApiDeps extends ApiDepsBase {
  register: CompanyRegister;
}

/**
 * Ports of the foreign-registration use cases (`Organisations/Registrations`): the extract uploads
 * and the review workflow; the mailer tells an existing organisation's administrators about a
 * registration that claims it.
 */
export interface ForeignRegistrationsApiDeps extends ApiDepsBase {
  uploads: UploadStore;
  workflow: WorkflowPort;
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

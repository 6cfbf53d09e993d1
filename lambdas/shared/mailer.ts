import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from './errors.ts';
import { keys } from './keys.ts';
import { type Locale, resolveLocale } from './locale.ts';
import { createLogger } from './logger.ts';
import { sesTemplateName, type TemplateData, type TemplateId } from './mail/templates.ts';
import { traceAwsClient } from './tracing.ts';

/** One file attached to a mail (SES v2 `Content.Template.Attachments`). */
export interface MailAttachment {
  /** The file name the recipient sees, e.g. `code-card.pdf`. */
  filename: string;
  /** MIME type, e.g. `application/pdf`. */
  contentType: string;
  content: Uint8Array;
}

/**
 * One e-mail to send. A union over all templates, so `data` must match `template`:
 * `{ template: 'bis-approved', data: { registrationId, bisNumber } }` compiles, a missing or extra
 * variable does not.
 */
export type MailMessage = {
  [T in TemplateId]: {
    /** One recipient address. */
    to: string;
    template: T;
    /** The recipient's locale in any common spelling (`nl-BE`, `fr`, `de_DE`); default `en`. */
    locale?: string | undefined;
    data: TemplateData<T>;
    /**
     * Identifies this mail across retries (e.g. `${registrationId}:bis-approved`). It is stored as a
     * table key: it must hold no personal data, no token and no national number.
     */
    idempotencyKey: string;
    /** Files sent with the templated mail (e.g. the code card PDF). @default none */
    attachments?: readonly MailAttachment[] | undefined;
  };
}[TemplateId];

/** The port through which use cases send mail; swapped for the outbox in the sandbox and tests. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * SES refused the message itself (rejected content or recipient, invalid address). Retrying cannot
 * help, so Step Functions must not Retry on it; its Catch records the failure.
 */
export class MailRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}

/** Configuration of {@link SesMailer}, normally from {@link sesMailerConfigFromEnv}. */
export interface SesMailerConfig {
  /** The verified sender address (`MAIL_FROM`). */
  from: string;
  /** Prefix of the SES template names (`MAIL_TEMPLATE_PREFIX`). */
  templatePrefix: string;
  /** The configuration set that publishes bounces and complaints (`MAIL_CONFIGURATION_SET`). */
  configurationSetName: string;
}

/** Reads the mailer's environment, as set by `Notifications.bindMailer`. */
export function sesMailerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SesMailerConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
    return value;
  };
  return {
    from: required('MAIL_FROM'),
    templatePrefix: required('MAIL_TEMPLATE_PREFIX'),
    configurationSetName: required('MAIL_CONFIGURATION_SET'),
  };
}

/** SES and DynamoDB error names worth a retry; server faults and SDK-retryable errors are too. */
const TRANSIENT_ERRORS = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'InternalServiceErrorException',
  'ThrottlingException',
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
]);

const REJECTED_SES_ERRORS = new Set(['MessageRejected', 'BadRequestException']);

interface SdkErrorShape {
  name?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
}

function asSdkError(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

function isTransient(error: unknown): boolean {
  const { name = '', $fault, $retryable } = asSdkError(error);
  return TRANSIENT_ERRORS.has(name) || $fault === 'server' || $retryable !== undefined;
}

let sesModule: Promise<typeof import('@aws-sdk/client-sesv2')> | undefined;

/**
 * The SES v2 client module, loaded at the first mail of a container: most invocations of a function
 * that may mail send none (an API call that changes nothing anyone is told about, a workflow task
 * that is not a notice), and loading the client is a sizeable part of a cold start.
 */
function loadSes(): Promise<typeof import('@aws-sdk/client-sesv2')> {
  sesModule ??= import('@aws-sdk/client-sesv2');
  return sesModule;
}

/**
 * Sends through SES v2 with the stored template `${prefix}-${templateId}-${locale}`. Throttling, server
 * faults and network timeouts become {@link TransientError} (Step Functions retries it); a rejected
 * message becomes {@link MailRejectedError}. Other SDK errors (paused sending, unverified identity,
 * unknown template) are configuration problems and propagate with their own names.
 */
export class SesMailer implements Mailer {
  private client: SESv2Client | undefined;
  private readonly config: SesMailerConfig;

  /** `client` defaults to a traced SES v2 client, created at the first mail. */
  constructor(config: SesMailerConfig, client?: SESv2Client) {
    this.config = config;
    this.client = client;
  }

  async send(message: MailMessage): Promise<void> {
    const { SESv2Client, SendEmailCommand } = await loadSes();
    this.client ??= traceAwsClient(new SESv2Client({}));
    const locale = resolveLocale(message.locale);
    const command = new SendEmailCommand({
      FromEmailAddress: this.config.from,
      Destination: { ToAddresses: [message.to] },
      ConfigurationSetName: this.config.configurationSetName,
      Content: {
        Template: {
          TemplateName: sesTemplateName(this.config.templatePrefix, message.template, locale),
          TemplateData: JSON.stringify(message.data),
          ...(message.attachments?.length
            ? {
                Attachments: message.attachments.map((attachment) => ({
                  FileName: attachment.filename,
                  ContentType: attachment.contentType,
                  ContentDisposition: 'ATTACHMENT' as const,
                  ContentTransferEncoding: 'BASE64' as const,
                  RawContent: attachment.content,
                })),
              }
            : {}),
        },
      },
      // Tags travel with bounce/complaint events: they name the mail without any personal data.
      EmailTags: [
        { Name: 'template', Value: message.template },
        { Name: 'locale', Value: locale },
      ],
    });
    try {
      await this.client.send(command);
    } catch (error) {
      throw translateSesError(error, message.template);
    }
  }
}

function translateSesError(error: unknown, template: TemplateId): unknown {
  const { name = '' } = asSdkError(error);
  // Messages name the template only: the SDK's own message may quote the recipient address.
  if (isTransient(error)) {
    return new TransientError(`SES could not send ${template} now (${name || 'unknown error'})`, {
      cause: error,
    });
  }
  if (REJECTED_SES_ERRORS.has(name)) {
    return new MailRejectedError(`SES rejected ${template} (${name})`, { cause: error });
  }
  return error;
}

/** One mail as the outbox keeps it. The sandbox's `GET /local/outbox` shows `{ to, subject, text, sentAt }`. */
export interface OutboxEntry {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** ISO-8601 timestamp. */
  sentAt: string;
  template: TemplateId;
  locale: Locale;
  /** The attached files, when the mail had any. */
  attachments?: MailAttachment[];
}

/** An outbox entry with the id the outbox gave it (the sandbox's attachment download names it). */
export type IdentifiedOutboxEntry = OutboxEntry & { id: string };

/** An in-memory mailbox of everything sent locally; the sandbox and tests share one instance. */
export class Outbox {
  private readonly entries: IdentifiedOutboxEntry[] = [];
  private sequence = 0;

  /** Appends one sent mail and answers the id it gets. */
  add(entry: OutboxEntry): string {
    this.sequence += 1;
    const id = String(this.sequence);
    this.entries.push({ ...entry, id });
    return id;
  }

  /** Every mail, newest first (mails sent in the same millisecond keep their order: last sent first). */
  list(): OutboxEntry[] {
    return this.entries.toReversed().map(({ id: _id, ...entry }) => entry);
  }

  /** Every mail with its id, newest first. */
  listWithIds(): IdentifiedOutboxEntry[] {
    return this.entries.toReversed();
  }

  /** One mail by the id {@link add} answered. */
  get(id: string): IdentifiedOutboxEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  /** Forgets every mail (between tests, or on the sandbox's reset); ids are not reused. */
  clear(): void {
    this.entries.length = 0;
  }
}

/** The process-wide outbox: the sandbox serves it and local handlers write to it. */
export const outbox = new Outbox();

/**
 * The renderer, and with it all mail copy, loaded by the first outbox send. Deployed functions send
 * through SES's stored templates and never render: the module name is a variable so that esbuild does
 * not follow it and no Lambda bundle carries the copy. The in-process runs that use the outbox (tests,
 * the fuzzer) load it from the source tree.
 */
const RENDERER_MODULE = '#shared/mail/render';
type Renderer = typeof import('./mail/render.ts');
let renderer: Promise<Renderer> | undefined;

function loadRenderer(): Promise<Renderer> {
  renderer ??= (import(RENDERER_MODULE) as Promise<Renderer>).catch((error: unknown) => {
    renderer = undefined;
    throw new Error('The outbox transport renders in-process: it runs from the source tree, not a bundle', {
      cause: error,
    });
  });
  return renderer;
}

/**
 * Renders the same templates SES stores (same text, same escaping) and appends the result to an
 * {@link Outbox} instead of sending.
 */
export class OutboxMailer implements Mailer {
  private readonly target: Outbox;
  private readonly now: () => Date;

  constructor(target: Outbox = outbox, now: () => Date = () => new Date()) {
    this.target = target;
    this.now = now;
  }

  async send(message: MailMessage): Promise<void> {
    const { renderTemplate } = await loadRenderer();
    const rendered = renderTemplate(
      message.template,
      message.locale,
      message.data as TemplateData<TemplateId>,
    );
    this.target.add({
      to: message.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      sentAt: this.now().toISOString(),
      template: message.template,
      locale: rendered.locale,
      ...(message.attachments?.length
        ? { attachments: message.attachments.map((attachment) => ({ ...attachment })) }
        : {}),
    });
  }
}

/** How long a sent-mail marker lives: far beyond any Step Functions retry schedule. */
export const MAIL_MARKER_TTL_SECONDS = 7 * 24 * 60 * 60;

/** What {@link IdempotentMailer} needs besides the mailer it wraps. */
export interface IdempotentMailerOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** @default the real clock */
  now?: () => Date;
  /** @default the shared logger (`logger.ts`), which redacts */
  logger?: MailerLogger;
}

/** The little the mailer logs through; never the recipient or the data. */
export interface MailerLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return asSdkError(error).name === 'ConditionalCheckFailedException';
}

/**
 * Makes any {@link Mailer} send each `idempotencyKey` at most once, so a retried Step Functions task
 * does not mail the person twice.
 *
 * Before sending it reads the marker `keys.mailSent(idempotencyKey)` (strongly consistent); if present,
 * it does nothing. After a successful send it writes the marker with a conditional put and a TTL
 * (`expiresAt`, {@link MAIL_MARKER_TTL_SECONDS}).
 *
 * Remaining duplicate window: Step Functions retries a task only after the attempt failed, so a
 * duplicate needs the attempt to die between SES accepting the mail and the marker write (Lambda
 * timeout or crash in those few milliseconds), or the marker write itself to fail. A marker write that
 * fails after a successful send is logged and swallowed rather than thrown: throwing would make the
 * retry send again, the very duplicate this class exists to prevent. Two concurrent attempts with the
 * same key (not something Step Functions does) could both send; the conditional put then lets one
 * marker win.
 */
export class IdempotentMailer implements Mailer {
  private readonly inner: Mailer;
  private readonly options: IdempotentMailerOptions;
  private readonly logger: MailerLogger;

  constructor(inner: Mailer, options: IdempotentMailerOptions) {
    this.inner = inner;
    this.options = options;
    this.logger = options.logger ?? defaultLogger();
  }

  async send(message: MailMessage): Promise<void> {
    const { documentClient, tableName } = this.options;
    const key = keys.mailSent(message.idempotencyKey);

    const existing = await documentClient
      .send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))
      .catch((error: unknown) => {
        throw isTransient(error)
          ? new TransientError('could not read the sent-mail marker', { cause: error })
          : error;
      });
    if (existing.Item) {
      this.logger.info('mail already sent, skipped', { template: message.template });
      return;
    }

    await this.inner.send(message);

    const now = (this.options.now ?? (() => new Date()))();
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key,
            template: message.template,
            sentAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + MAIL_MARKER_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      this.logger.warn('mail sent but its marker could not be written', {
        template: message.template,
        error: asSdkError(error).name,
      });
    }
  }
}

let sharedLogger: MailerLogger | undefined;
function defaultLogger(): MailerLogger {
  if (sharedLogger === undefined) {
    const logger = createLogger();
    sharedLogger = {
      info: (message, attributes) => logger.info(message, attributes),
      warn: (message, attributes) => logger.warn(message, attributes),
    };
  }
  return sharedLogger;
}

/** What {@link createMailer} needs to build the AWS mailer. */
export interface CreateMailerOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  env?: NodeJS.ProcessEnv;
  sesClient?: SESv2Client;
}

/**
 * The transport alone, without the sent-mail marker: `MAIL_TRANSPORT=outbox` (the sandbox) gives an
 * {@link OutboxMailer} on the shared {@link outbox}; otherwise an {@link SesMailer} from the environment
 * `Notifications.bindMailer` sets. Only for senders whose own queue item is the sent marker (claimed
 * before the send, marked sent after it: the grant notices); everyone else uses {@link createMailer}.
 */
export function createTransportMailer(options: Pick<CreateMailerOptions, 'env' | 'sesClient'> = {}): Mailer {
  const env = options.env ?? process.env;
  return env.MAIL_TRANSPORT === 'outbox'
    ? new OutboxMailer(outbox)
    : new SesMailer(sesMailerConfigFromEnv(env), options.sesClient);
}

/**
 * The mailer a handler uses, chosen once at module scope: the {@link createTransportMailer} transport
 * behind an {@link IdempotentMailer}, so it is idempotent per `idempotencyKey`.
 */
export function createMailer(options: CreateMailerOptions): Mailer {
  return new IdempotentMailer(createTransportMailer(options), {
    documentClient: options.documentClient,
    tableName: options.tableName,
  });
}

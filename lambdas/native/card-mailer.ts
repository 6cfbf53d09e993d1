/**
 * Mail with attachments, for the code card PDF. The shared `Mailer` port has no attachments yet;
 * until it does (reported to its owner: an optional `attachments` on `MailMessage`, passed to
 * `Content.Template.Attachments` by `SesMailer` and kept on `OutboxEntry`), this port does the same
 * with the same templates: SES v2 templated mail with `Attachments`, or the shared outbox.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  renderTemplate,
  resolveLocale,
  sesTemplateName,
  type TemplateData,
  type TemplateId,
} from '#shared/mail-templates';
import {
  type MailMessage,
  type Outbox,
  type OutboxEntry,
  type SesMailerConfig,
  sesMailerConfigFromEnv,
  outbox as sharedOutbox,
} from '#shared/mailer';

/** One attached file. */
export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** A templated mail with attachments. */
export type AttachmentMailMessage = MailMessage & { attachments: readonly MailAttachment[] };

/** The port the card issuance sends through. */
export interface AttachmentMailer {
  send(message: AttachmentMailMessage): Promise<void>;
}

/** An outbox entry with its attachments (the sandbox can offer them for download). */
export type OutboxEntryWithAttachments = OutboxEntry & { attachments: MailAttachment[] };

/** SES v2: the stored template plus attachments in one `SendEmail`. */
export class SesAttachmentMailer implements AttachmentMailer {
  constructor(
    private readonly config: SesMailerConfig,
    private readonly client: SESv2Client = new SESv2Client({}),
  ) {}

  async send(message: AttachmentMailMessage): Promise<void> {
    const locale = resolveLocale(message.locale);
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.config.from,
        Destination: { ToAddresses: [message.to] },
        ConfigurationSetName: this.config.configurationSetName,
        Content: {
          Template: {
            TemplateName: sesTemplateName(this.config.templatePrefix, message.template, locale),
            TemplateData: JSON.stringify(message.data),
            Attachments: message.attachments.map((attachment) => ({
              FileName: attachment.fileName,
              ContentType: attachment.contentType,
              ContentDisposition: 'ATTACHMENT',
              ContentTransferEncoding: 'BASE64',
              RawContent: attachment.content,
            })),
          },
        },
        EmailTags: [
          { Name: 'template', Value: message.template },
          { Name: 'locale', Value: locale },
        ],
      }),
    );
  }
}

/** The sandbox: renders like SES would and keeps the attachments on the outbox entry. */
export class OutboxAttachmentMailer implements AttachmentMailer {
  constructor(
    private readonly target: Outbox = sharedOutbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: AttachmentMailMessage): Promise<void> {
    const rendered = renderTemplate(
      message.template,
      message.locale,
      message.data as TemplateData<TemplateId>,
    );
    const entry: OutboxEntryWithAttachments = {
      to: message.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      sentAt: this.now().toISOString(),
      template: message.template,
      locale: rendered.locale,
      attachments: message.attachments.map((attachment) => ({ ...attachment })),
    };
    this.target.add(entry);
  }
}

/** `MAIL_TRANSPORT=outbox` → the outbox; otherwise SES from the environment `bindMailer` sets. */
export function createAttachmentMailer(env: NodeJS.ProcessEnv = process.env): AttachmentMailer {
  return env.MAIL_TRANSPORT === 'outbox'
    ? new OutboxAttachmentMailer()
    : new SesAttachmentMailer(sesMailerConfigFromEnv(env));
}

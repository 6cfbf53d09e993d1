/**
 * A local SES v2 `SendEmail` endpoint (REST-JSON, `POST /v2/email/outbound-emails`), so the
 * handlers' `SesMailer` runs unchanged with `AWS_ENDPOINT_URL_SESV2=<base>/local/aws/ses`. Templated
 * mail is rendered with the template SES would use — only names the synthesized template defines
 * (`AWS::SES::Template`) exist, the text is the copy in lambdas/shared/mail/copy/ — and appended to the
 * {@link Outbox} that `GET /local/outbox` serves, with the template's `Attachments` (base64 `RawContent`
 * decoded) kept on the entry. Simple (non-templated) content is refused.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultSwitchboard, restJsonError } from '#local/aws/faults';
import { LOCALES, type Locale } from '#shared/locale';
import { renderTemplate } from '#shared/mail/render';
import { TEMPLATE_IDS, type TemplateId } from '#shared/mail/templates';
import type { MailAttachment, Outbox } from '#shared/mailer';
import { readBody } from './http.ts';
import { type CfnTemplate, resourcesOfType } from './template.ts';

const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

class SesApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The SES template names a synthesized template defines, with the template and locale they render. */
export function sesTemplatesOf(template: CfnTemplate): Map<string, { id: TemplateId; locale: Locale }> {
  const known = new Map<string, { id: TemplateId; locale: Locale }>();
  for (const [, resource] of resourcesOfType(template, 'AWS::SES::Template')) {
    const name = (resource.Properties?.Template as { TemplateName?: unknown } | undefined)?.TemplateName;
    if (typeof name !== 'string') continue;
    for (const id of TEMPLATE_IDS) {
      for (const locale of LOCALES) {
        if (name.endsWith(`-${id}-${locale}`)) known.set(name, { id, locale });
      }
    }
  }
  return known;
}

/** The SES v2 API's SendEmail, into an outbox. */
export class LocalSesEndpoint {
  constructor(
    private readonly templates: ReadonlyMap<string, { id: TemplateId; locale: Locale }>,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
    /** The sandbox's fault switchboard (`ses` rules, operation `SendEmail`). @default none */
    private readonly faults?: FaultSwitchboard,
  ) {}

  /** Answers one request; `path` is the request path below the endpoint's prefix. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      if (req.method !== 'POST' || path !== SEND_EMAIL_PATH) {
        throw new SesApiError('NotFoundException', 'Only SendEmail is emulated', 404);
      }
      const before = this.#fault('before');
      if (before) {
        req.resume();
        return sendRaw(res, restJsonError(before));
      }
      let input: Record<string, unknown>;
      try {
        input = JSON.parse((await readBody(req, MAX_REQUEST_BYTES)).toString('utf8')) as Record<
          string,
          unknown
        >;
      } catch {
        throw new SesApiError('BadRequestException', 'The request body is not valid JSON', 400);
      }
      this.#send(input);
      const after = this.#fault('after');
      if (after) return sendRaw(res, restJsonError(after));
      send(res, 200, { MessageId: randomUUID() });
    } catch (error) {
      const apiError =
        error instanceof SesApiError
          ? error
          : new SesApiError(
              'BadRequestException',
              error instanceof Error ? error.message : 'Bad request',
              400,
            );
      send(res, apiError.status, { message: apiError.message }, apiError.code);
    }
  }

  /** The error code a switchboard rule injects into this SendEmail, if any. */
  #fault(phase: 'before' | 'after'): string | undefined {
    if (!this.faults || this.faults.idle) return undefined;
    return this.faults.check({ target: 'ses', operation: 'SendEmail', phase })?.error;
  }

  #send(input: Record<string, unknown>): void {
    const destination = (input.Destination ?? {}) as { ToAddresses?: unknown };
    const to = Array.isArray(destination.ToAddresses) ? destination.ToAddresses.map(String) : [];
    if (to.length === 0) throw new SesApiError('BadRequestException', 'Missing final @ domain', 400);
    const content = (input.Content ?? {}) as {
      Template?: { TemplateName?: unknown; TemplateData?: unknown; Attachments?: unknown };
      Simple?: {
        Subject?: { Data?: unknown };
        Body?: { Text?: { Data?: unknown }; Html?: { Data?: unknown } };
      };
    };
    const sentAt = this.now().toISOString();
    if (content.Template) {
      const name = String(content.Template.TemplateName ?? '');
      const known = this.templates.get(name);
      if (!known) throw new SesApiError('NotFoundException', `Template ${name} does not exist.`, 404);
      let data: Record<string, string>;
      try {
        data = JSON.parse(String(content.Template.TemplateData ?? '{}')) as Record<string, string>;
      } catch {
        throw new SesApiError('BadRequestException', 'TemplateData is not valid JSON', 400);
      }
      const rendered = renderTemplate(known.id, known.locale, data as never);
      const attachments = attachmentsOf(content.Template.Attachments);
      for (const recipient of to) {
        this.outbox.add({
          to: recipient,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          sentAt,
          template: known.id,
          locale: rendered.locale,
          ...(attachments.length > 0
            ? { attachments: attachments.map((attachment) => ({ ...attachment })) }
            : {}),
        });
      }
      return;
    }
    throw new SesApiError('BadRequestException', 'Only templated content is emulated', 400);
  }
}

/** SES v2 `Attachment`s as the SDK serialises them (blob `RawContent` in base64). */
function attachmentsOf(input: unknown): MailAttachment[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw new SesApiError('BadRequestException', 'Attachments must be a list', 400);
  return input.map((item: unknown, index) => {
    const { FileName, ContentType, RawContent } = (item ?? {}) as Record<string, unknown>;
    if (typeof FileName !== 'string' || FileName === '' || typeof RawContent !== 'string') {
      throw new SesApiError(
        'BadRequestException',
        `Attachment ${index} needs a FileName and a RawContent`,
        400,
      );
    }
    return {
      filename: FileName,
      contentType:
        typeof ContentType === 'string' && ContentType !== '' ? ContentType : 'application/octet-stream',
      content: new Uint8Array(Buffer.from(RawContent, 'base64')),
    };
  });
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(text);
}

function sendRaw(
  res: ServerResponse,
  error: { status: number; body: string; headers: Record<string, string> },
): void {
  res.writeHead(error.status, error.headers);
  res.end(error.body);
}

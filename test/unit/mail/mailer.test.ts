import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BadRequestException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransientError } from '#shared/errors';
import { keys } from '#shared/keys';
import {
  createMailer,
  IdempotentMailer,
  MAIL_MARKER_TTL_SECONDS,
  type Mailer,
  type MailMessage,
  MailRejectedError,
  Outbox,
  OutboxMailer,
  SesMailer,
  sesMailerConfigFromEnv,
  outbox as sharedOutbox,
} from '#shared/mailer';

const sesMock = mockClient(SESv2Client);
const ddbMock = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  sesMock.reset();
  ddbMock.reset();
});

const config = {
  from: 'no-reply@eid-access.example.be',
  templatePrefix: 'eid-access-dev',
  configurationSetName: 'eid-access-dev-mail',
};

function approvedMessage(): MailMessage {
  return {
    to: 'applicant@example.org',
    template: 'bis-approved',
    locale: 'fr-BE',
    data: { registrationId: '01JREG', bisNumber: '85.49.30-011.53' },
    idempotencyKey: '01JREG:bis-approved',
  };
}

function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
}

const quietLogger = { info: () => undefined, warn: () => undefined };

describe('MailMessage', () => {
  it('refuses data that does not match the template when type-checked', () => {
    // Assess: these lines are checked by `tsc --noEmit`; the runtime assertion keeps the test honest.
    const wrong: MailMessage = {
      to: 'x@example.org',
      template: 'bis-approved',
      // @ts-expect-error bis-approved needs bisNumber, not reason
      data: { registrationId: 'R', reason: 'r' },
      idempotencyKey: 'k',
    };
    expect(wrong.template).toBe('bis-approved');
  });
});

describe('SesMailer', () => {
  it('sends the locale-specific stored template with the configuration set when sending', async () => {
    // Prepare
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'no-reply@eid-access.example.be',
      Destination: { ToAddresses: ['applicant@example.org'] },
      ConfigurationSetName: 'eid-access-dev-mail',
      Content: {
        Template: {
          TemplateName: 'eid-access-dev-bis-approved-fr',
          TemplateData: JSON.stringify({ registrationId: '01JREG', bisNumber: '85.49.30-011.53' }),
        },
      },
      EmailTags: [
        { Name: 'template', Value: 'bis-approved' },
        { Name: 'locale', Value: 'fr' },
      ],
    });
  });

  it('uses the English template when the locale is missing', async () => {
    // Prepare
    sesMock.on(SendEmailCommand).resolves({});
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act
    await mailer.send({
      to: 'agents@example.be',
      template: 'bis-review-requested',
      data: { registrationId: '01JREG' },
      idempotencyKey: '01JREG:review',
    });

    // Assess
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Content: {
        Template: expect.objectContaining({ TemplateName: 'eid-access-dev-bis-review-requested-en' }),
      },
    });
  });

  it('throws TransientError when SES throttles', async () => {
    // Prepare
    sesMock
      .on(SendEmailCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act
    const sending = mailer.send(approvedMessage());

    // Assess
    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('throws TransientError when SES has a server fault', async () => {
    // Prepare
    const fault = Object.assign(new Error('internal'), { name: 'InternalFailure', $fault: 'server' });
    sesMock.on(SendEmailCommand).rejects(fault);
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act / Assess
    await expect(mailer.send(approvedMessage())).rejects.toBeInstanceOf(TransientError);
  });

  it.each([
    [
      'MessageRejected',
      () => new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }),
    ],
    ['BadRequestException', () => new BadRequestException({ message: 'Illegal address', $metadata: {} })],
  ])('throws MailRejectedError without the address when SES answers %s', async (_name, makeError) => {
    // Prepare
    sesMock.on(SendEmailCommand).rejects(makeError());
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act
    const error = await mailer.send(approvedMessage()).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as Error).name).toBe('MailRejectedError');
    expect((error as Error).message).not.toContain('applicant@example.org');
  });

  it('lets configuration errors through unchanged when the template is unknown', async () => {
    // Prepare
    const notFound = new NotFoundException({ message: 'Template does not exist', $metadata: {} });
    sesMock.on(SendEmailCommand).rejects(notFound);
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act / Assess
    await expect(mailer.send(approvedMessage())).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});

describe('sesMailerConfigFromEnv', () => {
  it('reads the three variables bindMailer sets when they are present', () => {
    // Prepare
    vi.stubEnv('MAIL_FROM', 'no-reply@example.be');
    vi.stubEnv('MAIL_TEMPLATE_PREFIX', 'eid-access-prod');
    vi.stubEnv('MAIL_CONFIGURATION_SET', 'cs-1');

    // Act / Assess
    expect(sesMailerConfigFromEnv()).toEqual({
      from: 'no-reply@example.be',
      templatePrefix: 'eid-access-prod',
      configurationSetName: 'cs-1',
    });
  });

  it('fails loudly when a variable is missing', () => {
    // Prepare
    vi.stubEnv('MAIL_FROM', 'no-reply@example.be');
    vi.stubEnv('MAIL_TEMPLATE_PREFIX', '');
    vi.stubEnv('MAIL_CONFIGURATION_SET', 'cs-1');

    // Act / Assess
    expect(() => sesMailerConfigFromEnv()).toThrow(/MAIL_TEMPLATE_PREFIX/);
  });
});

describe('SesMailer attachments', () => {
  it('passes each attachment as a base64 attachment of the templated content when the message has some', async () => {
    // Prepare
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));
    const content = new Uint8Array([37, 80, 68, 70]);

    // Act
    await mailer.send({
      ...approvedMessage(),
      attachments: [{ filename: 'card.pdf', contentType: 'application/pdf', content }],
    });

    // Assess
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Content: {
        Template: expect.objectContaining({
          TemplateName: 'eid-access-dev-bis-approved-fr',
          Attachments: [
            {
              FileName: 'card.pdf',
              ContentType: 'application/pdf',
              ContentDisposition: 'ATTACHMENT',
              ContentTransferEncoding: 'BASE64',
              RawContent: content,
            },
          ],
        }),
      },
    });
  });

  it('sends no Attachments field when the message has none', async () => {
    // Prepare
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(config, new SESv2Client({ region: 'eu-west-1' }));

    // Act
    await mailer.send({ ...approvedMessage(), attachments: [] });

    // Assess
    const input = sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Template).not.toHaveProperty('Attachments');
  });
});

describe('Outbox ids and attachments', () => {
  it('keeps the attachments and gives each entry an id to fetch it by when sending', async () => {
    // Prepare
    const outbox = new Outbox();
    const mailer = new OutboxMailer(outbox);
    const content = new Uint8Array([1, 2, 3]);

    // Act
    await mailer.send(approvedMessage());
    await mailer.send({
      ...approvedMessage(),
      attachments: [{ filename: 'card.pdf', contentType: 'application/pdf', content }],
    });

    // Assess
    const [newest, oldest] = outbox.listWithIds();
    expect(newest?.attachments).toEqual([{ filename: 'card.pdf', contentType: 'application/pdf', content }]);
    expect(oldest).not.toHaveProperty('attachments');
    expect(newest?.id).not.toBe(oldest?.id);
    expect(outbox.get(newest?.id ?? '')?.attachments?.[0]?.content).toEqual(content);
    expect(outbox.list()[0]).not.toHaveProperty('id');
  });

  it('finds nothing by an id given before it was cleared', () => {
    // Prepare
    const outbox = new Outbox();
    const id = outbox.add({
      to: 'a@example.org',
      subject: 's',
      text: 't',
      html: 'h',
      sentAt: '2025-03-01T10:00:00.000Z',
      template: 'bis-approved',
      locale: 'en',
    });

    // Act
    outbox.clear();

    // Assess
    expect(outbox.get(id)).toBeUndefined();
  });
});

describe('OutboxMailer', () => {
  it('records the rendered mail when sending', async () => {
    // Prepare
    const outbox = new Outbox();
    const mailer = new OutboxMailer(outbox, () => new Date('2025-03-01T10:00:00.000Z'));

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(outbox.list()).toEqual([
      expect.objectContaining({
        to: 'applicant@example.org',
        subject: 'Votre numéro BIS a été attribué',
        sentAt: '2025-03-01T10:00:00.000Z',
        template: 'bis-approved',
        locale: 'fr',
      }),
    ]);
    expect(outbox.list()[0]?.text).toContain('Votre numéro BIS est : 85.49.30-011.53');
    expect(outbox.list()[0]?.html).toContain('<html lang="fr">');
  });

  it('lists newest first when several mails were sent', async () => {
    // Prepare
    const outbox = new Outbox();
    let tick = 0;
    const mailer = new OutboxMailer(outbox, () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)));

    // Act
    for (const registrationId of ['first', 'second', 'third']) {
      await mailer.send({
        to: `${registrationId}@example.org`,
        template: 'bis-submitted',
        data: { registrationId },
        idempotencyKey: registrationId,
      });
    }

    // Assess
    expect(outbox.list().map((entry) => entry.to)).toEqual([
      'third@example.org',
      'second@example.org',
      'first@example.org',
    ]);
  });

  it('keeps sending order newest first when mails share a timestamp', async () => {
    // Prepare
    const outbox = new Outbox();
    const mailer = new OutboxMailer(outbox, () => new Date('2025-01-01T00:00:00.000Z'));

    // Act
    await mailer.send({
      to: 'a@example.org',
      template: 'bis-expired',
      data: { registrationId: 'a' },
      idempotencyKey: 'a',
    });
    await mailer.send({
      to: 'b@example.org',
      template: 'bis-expired',
      data: { registrationId: 'b' },
      idempotencyKey: 'b',
    });

    // Assess
    expect(outbox.list().map((entry) => entry.to)).toEqual(['b@example.org', 'a@example.org']);
  });

  it('empties when cleared', async () => {
    // Prepare
    const outbox = new Outbox();
    await new OutboxMailer(outbox).send(approvedMessage());

    // Act
    outbox.clear();

    // Assess
    expect(outbox.list()).toEqual([]);
  });

  it('returns a copy so callers cannot change the outbox when listing', async () => {
    // Prepare
    const outbox = new Outbox();
    await new OutboxMailer(outbox).send(approvedMessage());

    // Act
    outbox.list().pop();

    // Assess
    expect(outbox.list()).toHaveLength(1);
  });
});

describe('IdempotentMailer', () => {
  const now = new Date('2025-03-01T10:00:00.000Z');

  function countingMailer(): Mailer & { sent: MailMessage[] } {
    const sent: MailMessage[] = [];
    return { sent, send: async (message) => void sent.push(message) };
  }

  it('sends and writes the marker with a TTL when the key is new', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(PutCommand).resolves({});
    const inner = countingMailer();
    const mailer = new IdempotentMailer(inner, {
      documentClient: documentClient(),
      tableName: 'Table',
      now: () => now,
      logger: quietLogger,
    });

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(inner.sent).toHaveLength(1);
    expect(ddbMock).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'Table',
      Key: keys.mailSent('01JREG:bis-approved'),
      ConsistentRead: true,
    });
    expect(ddbMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'Table',
      Item: {
        ...keys.mailSent('01JREG:bis-approved'),
        template: 'bis-approved',
        sentAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + MAIL_MARKER_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('sends once when a Step Functions task is retried with the same key', async () => {
    // Prepare: the first attempt finds no marker, the retry finds the marker the first one wrote.
    ddbMock
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { ...keys.mailSent('01JREG:bis-approved'), template: 'bis-approved' } });
    ddbMock.on(PutCommand).resolves({});
    const sesClient = new SESv2Client({ region: 'eu-west-1' });
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new IdempotentMailer(new SesMailer(config, sesClient), {
      documentClient: documentClient(),
      tableName: 'Table',
      logger: quietLogger,
    });

    // Act
    await mailer.send(approvedMessage());
    await mailer.send(approvedMessage());

    // Assess
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('writes no marker and rethrows when sending fails, so the retry sends', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    sesMock
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: {} }))
      .resolves({ MessageId: 'm-2' });
    const mailer = new IdempotentMailer(new SesMailer(config, new SESv2Client({ region: 'eu-west-1' })), {
      documentClient: documentClient(),
      tableName: 'Table',
      logger: quietLogger,
    });

    // Act
    await expect(mailer.send(approvedMessage())).rejects.toBeInstanceOf(TransientError);
    const putsAfterFailure = ddbMock.commandCalls(PutCommand).length;
    await mailer.send(approvedMessage());

    // Assess
    expect(putsAfterFailure).toBe(0);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('succeeds when a concurrent attempt wrote the marker first', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const inner = countingMailer();
    const mailer = new IdempotentMailer(inner, {
      documentClient: documentClient(),
      tableName: 'Table',
      logger: quietLogger,
    });

    // Act / Assess
    await expect(mailer.send(approvedMessage())).resolves.toBeUndefined();
    expect(inner.sent).toHaveLength(1);
  });

  it('logs and does not throw when the marker cannot be written after a send', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(PutCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const warn = vi.fn();
    const inner = countingMailer();
    const mailer = new IdempotentMailer(inner, {
      documentClient: documentClient(),
      tableName: 'Table',
      logger: { info: () => undefined, warn },
    });

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(inner.sent).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith('mail sent but its marker could not be written', {
      template: 'bis-approved',
      error: 'InternalServerError',
    });
  });

  it('throws TransientError and sends nothing when the marker cannot be read', async () => {
    // Prepare
    ddbMock
      .on(GetCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const inner = countingMailer();
    const mailer = new IdempotentMailer(inner, {
      documentClient: documentClient(),
      tableName: 'Table',
      logger: quietLogger,
    });

    // Act / Assess
    await expect(mailer.send(approvedMessage())).rejects.toBeInstanceOf(TransientError);
    expect(inner.sent).toHaveLength(0);
  });
});

describe('IdempotentMailer errors', () => {
  it('rethrows a non-transient read error unchanged and sends nothing', async () => {
    // Prepare
    ddbMock.on(GetCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const sent: MailMessage[] = [];
    const mailer = new IdempotentMailer(
      { send: async (message) => void sent.push(message) },
      { documentClient: documentClient(), tableName: 'Table', logger: quietLogger },
    );

    // Act / Assess
    await expect(mailer.send(approvedMessage())).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(sent).toHaveLength(0);
  });
});

describe('createMailer', () => {
  it('writes to the shared outbox when MAIL_TRANSPORT is outbox', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(PutCommand).resolves({});
    vi.stubEnv('MAIL_TRANSPORT', 'outbox');
    sharedOutbox.clear();
    const mailer = createMailer({ documentClient: documentClient(), tableName: 'Table' });

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(sharedOutbox.list()).toHaveLength(1);
    expect(sesMock).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    sharedOutbox.clear();
  });

  it('sends through SES when no transport is set', async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    ddbMock.on(PutCommand).resolves({});
    sesMock.on(SendEmailCommand).resolves({});
    vi.stubEnv('MAIL_TRANSPORT', '');
    vi.stubEnv('MAIL_FROM', config.from);
    vi.stubEnv('MAIL_TEMPLATE_PREFIX', config.templatePrefix);
    vi.stubEnv('MAIL_CONFIGURATION_SET', config.configurationSetName);
    const mailer = createMailer({
      documentClient: documentClient(),
      tableName: 'Table',
      sesClient: new SESv2Client({ region: 'eu-west-1' }),
    });

    // Act
    await mailer.send(approvedMessage());

    // Assess
    expect(sesMock).toHaveReceivedCommandWith(SendEmailCommand, {
      Content: { Template: expect.objectContaining({ TemplateName: 'eid-access-dev-bis-approved-fr' }) },
    });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { LocalSesEndpoint, sesTemplatesOf } from '#local/server/ses-endpoint';
import { synthesizeStage } from '#local/server/template';
import { LOCALES } from '#shared/locale';
import { TEMPLATE_IDS } from '#shared/mail/templates';
import { Outbox, SesMailer } from '#shared/mailer';

const outbox = new Outbox();
const templates = sesTemplatesOf(synthesizeStage('dev').accessTemplate);
let server: Server;
let client: SESv2Client;

beforeAll(async () => {
  const endpoint = new LocalSesEndpoint(templates, outbox, () => new Date('2026-05-01T10:00:00Z'));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    void endpoint.handle(req, res, path.slice('/local/aws/ses'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SESv2Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/local/aws/ses`,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const config = {
  from: 'no-reply@dev.eid-access.example',
  templatePrefix: 'eidaccess-dev',
  configurationSetName: 'cs',
};

describe('LocalSesEndpoint with the SES mailer', () => {
  it('renders the stored template into the outbox when SesMailer sends through it', async () => {
    outbox.clear();
    await new SesMailer(config, client).send({
      to: 'erika@example.de',
      template: 'bis-approved',
      locale: 'de-BE',
      data: { registrationId: 'R1', bisNumber: '64.08.12-401.52' },
      idempotencyKey: 'R1:bis-approved',
    });

    expect(outbox.list()).toEqual([
      expect.objectContaining({
        to: 'erika@example.de',
        template: 'bis-approved',
        locale: 'de',
        sentAt: '2026-05-01T10:00:00.000Z',
        text: expect.stringContaining('64.08.12-401.52'),
      }),
    ]);
  });

  it('stores the attachments decoded on the outbox entry when the templated mail has some', async () => {
    outbox.clear();
    const content = new Uint8Array([37, 80, 68, 70, 45, 0, 255]);
    await new SesMailer(config, client).send({
      to: 'erika@example.de',
      template: 'bis-approved',
      data: { registrationId: 'R2', bisNumber: '64.08.12-401.52' },
      idempotencyKey: 'R2:bis-approved',
      attachments: [{ filename: 'card.pdf', contentType: 'application/pdf', content }],
    });

    expect(outbox.list()[0]?.attachments).toEqual([
      { filename: 'card.pdf', contentType: 'application/pdf', content },
    ]);
  });

  it('answers NotFoundException when the template is not in the stage', async () => {
    const mailer = new SesMailer({ ...config, templatePrefix: 'other-stage' }, client);

    await expect(
      mailer.send({
        to: 'a@example.be',
        template: 'bis-approved',
        data: { registrationId: 'R2', bisNumber: '1' },
        idempotencyKey: 'R2',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('knows every template and locale of the stage when it reads the synthesized template', () => {
    expect(templates.size).toBe(TEMPLATE_IDS.length * LOCALES.length);
    expect(templates.get('eidaccess-dev-bis-approved-nl')).toEqual({ id: 'bis-approved', locale: 'nl' });
  });
});

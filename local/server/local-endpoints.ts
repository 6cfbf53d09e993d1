/**
 * The sandbox's own endpoints (ARCHITECTURE.md section 6, contract):
 *
 * | method and path | body | answer |
 * |---|---|---|
 * | POST /local/login | `{ provider: "itsme"\|"eidas"\|"eudi", attributes }`; for `eudi` also `format?: "dc+sd-jwt"\|"mso_mdoc"` (default SD-JWT VC) | 200 `{ idToken, accessToken, refreshToken, expiresIn, tokenType }` or the login's problem |
 * | POST /local/groups | `{ personId, group }` | 200 `{ personId, group }`; next login carries the group |
 * | POST /local/register/persons | `{ insz, givenNames, familyName, birthDate }` | 201 created, 200 updated or unchanged: `{ insz, result }` |
 * | POST /local/register/companies | `{ enterpriseNumber, name, legalRepresentatives: [insz] }` | as above, `{ enterpriseNumber, result }` |
 * | POST /local/eudi/credentials | `{ format: "dc+sd-jwt"\|"mso_mdoc", claims, holderPublicJwk, expiresAt? }` | 201 `{ credential }`: a PID of the local PID provider in that format |
 * | GET /local/outbox | | 200 `[{ id, to, subject, text, sentAt, template, locale, attachments? }]`, newest first; `attachments: [{ filename, contentType, url }]` |
 * | GET /local/outbox/{id}/attachments/{n} | | 200 the n-th (0-based) attached file with its content type, or 404 |
 *
 * `POST /local/login` runs the whole federated login: the local IdP signs a real assertion (eIDAS:
 * attribute URIs as keys) or ID token (itsme: claim names as keys), Cognito's side validates and maps
 * it, and the local user pool runs the real triggers. A refusing trigger answers **403** with
 * `type: urn:eid-access:problem:login-refused:<reason>`, `detail`: the trigger's message (what the
 * person reads), and `error: "invalid_request"` / `error_description`: exactly what the hosted login
 * redirects with (`<Trigger> failed with error <message>. `). Assertions or claims Cognito would not
 * accept answer 401 (`unauthenticated`), malformed bodies 400 (`validation`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { LocalCognito } from '#local/cognito/index';
import { LoginRefusedByTrigger } from '#local/cognito/index';
import { type LocalEudi, WalletLoginRefusedError } from '#local/eudi/index';
import type { LocalEidasFederation } from '#local/identity-providers/eidas/index';
import type { LocalItsme } from '#local/identity-providers/itsme';
import { DomainError, NotFoundError, ValidationError } from '#shared/errors';
import { loginRefusedProblemType, validationErrorFromZod } from '#shared/http/problem';
import type { Outbox } from '#shared/mailer';
import { BodyTooLargeError, readBody, sendError, sendJson, sendProblem } from './http.ts';
import {
  putCompany,
  putPerson,
  type RegisterTable,
  registerCompanyBody,
  registerPersonBody,
} from './registers.ts';

const MAX_BODY_BYTES = 256 * 1024;

const eidasValue = z.union([z.string(), z.array(z.string()).min(1)]);

/** `POST /local/login`. */
export const loginBody = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('itsme'), attributes: z.record(z.string(), z.unknown()) }),
  z.strictObject({ provider: z.literal('eidas'), attributes: z.record(z.string(), eidasValue) }),
  z.strictObject({
    provider: z.literal('eudi'),
    attributes: z.record(z.string(), z.unknown()),
    /** The PID format the test wallet presents. */
    format: z.enum(['dc+sd-jwt', 'mso_mdoc']).optional(),
  }),
]);

/** `POST /local/groups`. */
export const groupsBody = z.strictObject({
  personId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'Must be a person id'),
  group: z.string().min(1).max(128),
});

/** What the endpoints work with. */
export interface LocalEndpointsOptions {
  cognito: LocalCognito;
  itsme: LocalItsme;
  eidas: LocalEidasFederation;
  /** The wallet bridge, PID provider and test wallet (`provider: "eudi"`, `/local/eudi/credentials`). */
  eudi?: LocalEudi;
  table: RegisterTable;
  outbox: Outbox;
  log?: (message: string, error: unknown) => void;
}

type Route = (body: unknown) => Promise<{ status: number; body: unknown }>;

/** The `/local/*` endpoints. */
export class LocalEndpoints {
  readonly #options: LocalEndpointsOptions;
  readonly #posts: Record<string, Route>;

  constructor(options: LocalEndpointsOptions) {
    this.#options = options;
    this.#posts = {
      '/local/login': (body) => this.#login(body),
      '/local/groups': (body) => this.#groups(body),
      '/local/register/persons': (body) => this.#registerPerson(body),
      '/local/register/companies': (body) => this.#registerCompany(body),
      '/local/eudi/credentials': (body) => this.#eudiCredential(body),
    };
  }

  /** Answers a `/local/*` request; resolves `false` for paths it does not own. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === '/local/outbox') {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      sendJson(
        res,
        200,
        this.#options.outbox
          .listWithIds()
          .map(({ id, to, subject, text, sentAt, template, locale, attachments }) => ({
            id,
            to,
            subject,
            text,
            sentAt,
            template,
            locale,
            ...(attachments
              ? {
                  attachments: attachments.map(({ filename, contentType }, index) => ({
                    filename,
                    contentType,
                    url: `/local/outbox/${id}/attachments/${index}`,
                  })),
                }
              : {}),
          })),
      );
      return true;
    }
    const attachment = /^\/local\/outbox\/([^/]+)\/attachments\/(\d+)$/.exec(path);
    if (attachment) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      const file = this.#options.outbox.get(attachment[1] ?? '')?.attachments?.[Number(attachment[2])];
      if (!file) {
        sendError(res, new NotFoundError('No such attachment in the outbox'));
        return true;
      }
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': String(file.content.byteLength),
        'Content-Disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`,
      });
      res.end(Buffer.from(file.content));
      return true;
    }
    const route = this.#posts[path];
    if (!route) return false;
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    try {
      const body = await readJson(req);
      const answer = await route(body);
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      this.#fail(res, error);
    }
    return true;
  }

  async #login(input: unknown): Promise<{ status: number; body: unknown }> {
    const body = parse(loginBody, input);
    const { cognito, itsme, eidas, eudi } = this.#options;
    const federated =
      body.provider === 'itsme'
        ? { providerName: 'itsme' as const, ...(await itsme.federate(body.attributes)) }
        : body.provider === 'eudi'
          ? {
              providerName: 'EUDIWallet' as const,
              ...(await this.#requireEudi(eudi).federate(
                body.attributes,
                body.format ? { format: body.format } : {},
              )),
            }
          : { providerName: 'eIDAS' as const, ...(await eidas.federate(body.attributes)) };
    const tokens = await cognito.federatedSignIn({
      userName: federated.userName,
      attributes: federated.attributes,
      providerName: federated.providerName,
      clientId: cognito.defaultClientId,
    });
    return {
      status: 200,
      body: {
        idToken: tokens.idToken,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
        tokenType: tokens.tokenType,
      },
    };
  }

  #requireEudi(eudi: LocalEudi | undefined): LocalEudi {
    if (!eudi) throw new NotFoundError('The wallet bridge is not part of this sandbox.');
    return eudi;
  }

  async #eudiCredential(input: unknown): Promise<{ status: number; body: unknown }> {
    const { credential } = await this.#requireEudi(this.#options.eudi).issueCredential(input);
    return { status: 201, body: { credential } };
  }

  async #groups(input: unknown): Promise<{ status: number; body: unknown }> {
    const { personId, group } = parse(groupsBody, input);
    this.#options.cognito.addPersonToGroup(personId, group);
    return { status: 200, body: { personId, group } };
  }

  async #registerPerson(input: unknown): Promise<{ status: number; body: unknown }> {
    const person = parse(registerPersonBody, input);
    const result = await putPerson(this.#options.table, person);
    return { status: result === 'created' ? 201 : 200, body: { insz: person.insz, result } };
  }

  async #registerCompany(input: unknown): Promise<{ status: number; body: unknown }> {
    const company = parse(registerCompanyBody, input);
    const result = await putCompany(this.#options.table, company);
    return {
      status: result === 'created' ? 201 : 200,
      body: { enterpriseNumber: company.enterpriseNumber, result },
    };
  }

  #fail(res: ServerResponse, error: unknown): void {
    if (error instanceof WalletLoginRefusedError) {
      // The reason as the other providers' refusals carry it (`code`), and as Cognito's error_description
      // carries it after a real wallet login (`[wallet-<reason>] …`).
      const reason = `wallet-${error.refusal}`;
      sendProblem(res, {
        type: loginRefusedProblemType(reason),
        title: error.title,
        status: error.status,
        code: reason,
        detail: error.message,
        error: 'access_denied',
        error_description: `[${reason}] ${error.message}`,
      });
      return;
    }
    if (error instanceof LoginRefusedByTrigger && error.reason !== undefined) {
      sendProblem(res, {
        type: loginRefusedProblemType(error.reason),
        title: error.title,
        status: error.status,
        code: error.reason,
        detail: error.triggerMessage,
        error: 'invalid_request',
        error_description: `${error.message} `,
      });
      return;
    }
    if (!(error instanceof DomainError) || error instanceof LoginRefusedByTrigger) {
      (this.#options.log ?? defaultLog)('a /local request failed', error);
    }
    sendError(res, error);
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationErrorFromZod(result.error);
  return result.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ValidationError('The request body is too large.');
    throw error;
  }
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (contentType !== 'application/json') {
    throw new ValidationError('Send the body as application/json.', [
      { path: '', message: 'Content-Type must be application/json' },
    ]);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON.', [{ path: '', message: 'Invalid JSON' }]);
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('Allow', allow);
  sendProblem(res, {
    type: 'about:blank',
    title: 'Method not allowed',
    status: 405,
    detail: `Use ${allow} here.`,
  });
  return true;
}

const defaultLog = (message: string, error: unknown): void => {
  console.error(`[sandbox] ${message}:`, error);
};

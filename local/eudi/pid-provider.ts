/**
 * The sandbox's PID provider: a test root certificate (the trust anchor the bridge is configured
 * with), an issuer certificate under it, SD-JWT VC PIDs (`urn:eudi:pid:1`, every claim selectively
 * disclosable) and ISO mdoc PIDs (`eu.europa.ec.eudi.pid.1`, signed by the same issuer certificate)
 * bound to a holder key, and an IETF token status list to revoke them (both formats). Keys live in memory only; nothing is written to disk.
 */
import { createHash, type JsonWebKey, sign } from 'node:crypto';
import { generateSalt } from '@sd-jwt/crypto-nodejs';
import { createHeaderAndPayload, StatusList } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { type IssuedCertificate, issueCertificate } from './certificates.ts';
import { issueMdocPid } from './mdoc.ts';

/** Options of {@link LocalPidProvider}. */
export interface LocalPidProviderOptions {
  /** The provider's base URL, e.g. `${sandbox}/local/eudi`: issuer and status list URIs start with it. */
  baseUrl: string;
  /** Size of the status list. @default 1024 */
  statusListSize?: number;
  /**
   * Issue without a status list reference: for a provider whose status list no one serves (a load
   * test's provider, test/bench/load-pid-provider.ts). @default false
   */
  withoutStatus?: boolean;
  /** The root and issuer certificates with their keys. @default new ones, the sandbox's names */
  certificates?: { root: IssuedCertificate; issuer: IssuedCertificate };
}

/** What a PID is issued from. */
export interface PidIssueRequest {
  /** SD-JWT VC claim names (ARCHITECTURE.md section 6), all made selectively disclosable. */
  claims: Record<string, unknown>;
  /** The wallet's public key (`cnf.jwk`). */
  holderPublicJwk: JsonWebKey;
  /** Technical validity end (`exp`), seconds since the epoch. @default one year from now */
  expiresAt?: number;
  /** @default 'urn:eudi:pid:1' */
  vct?: string;
}

/** An issued PID. */
export interface IssuedPid {
  credential: string;
  /** Its index in the status list (for {@link LocalPidProvider.revoke}). */
  statusIndex: number;
}

/** The local PID provider; see the module comment. */
export class LocalPidProvider {
  readonly root: IssuedCertificate;
  readonly issuer: IssuedCertificate;
  readonly baseUrl: string;
  readonly #statuses: StatusList;
  readonly #withoutStatus: boolean;
  #nextIndex = 0;

  constructor(options: LocalPidProviderOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#withoutStatus = options.withoutStatus ?? false;
    this.root =
      options.certificates?.root ??
      issueCertificate({
        commonName: 'eid-access sandbox PID provider root',
        organisation: 'eid-access sandbox',
        country: 'BE',
        ca: true,
        validityDays: 3650,
      });
    this.issuer =
      options.certificates?.issuer ??
      issueCertificate({
        commonName: 'eid-access sandbox PID issuer',
        organisation: 'eid-access sandbox',
        country: 'BE',
        // The PIDs' `iss`, named by the x5c leaf as SD-JWT VC asks.
        uris: [this.baseUrl],
        issuer: this.root,
      });
    this.#statuses = new StatusList(new Array(options.statusListSize ?? 1024).fill(0), 1);
  }

  /** The trust anchor (root certificate) as PEM: `GET /local/eudi/trust-anchors`. */
  get trustAnchorPem(): string {
    return this.root.pem;
  }

  /** The status list's URI. */
  get statusListUri(): string {
    return `${this.baseUrl}/status-lists/1`;
  }

  /** The next free entry of the status list (it wraps around: the sandbox's list is small). */
  #takeStatusIndex(): number {
    const statusIndex = this.#nextIndex;
    this.#nextIndex = (this.#nextIndex + 1) % this.#statuses.statusList.length;
    return statusIndex;
  }

  /** Issues an SD-JWT VC PID. */
  async issue(request: PidIssueRequest): Promise<IssuedPid> {
    const statusIndex = this.#takeStatusIndex();
    const now = Math.floor(Date.now() / 1000);
    const instance = new SDJwtVcInstance({
      hasher: (data) =>
        new Uint8Array(
          createHash('sha256')
            .update(data as string)
            .digest(),
        ),
      hashAlg: 'sha-256',
      saltGenerator: generateSalt,
      signer: async (data) => this.#sign(data),
      signAlg: 'ES256',
    });
    const { claims } = request;
    const credential = await instance.issue(
      {
        iss: this.baseUrl,
        vct: request.vct ?? 'urn:eudi:pid:1',
        iat: now,
        exp: request.expiresAt ?? now + 365 * 86_400,
        cnf: { jwk: request.holderPublicJwk },
        ...(this.#withoutStatus
          ? {}
          : { status: { status_list: { idx: statusIndex, uri: this.statusListUri } } }),
        ...claims,
      },
      { _sd: Object.keys(claims) } as never,
      { header: { typ: 'dc+sd-jwt', x5c: [this.issuer.base64] } },
    );
    return { credential, statusIndex };
  }

  /**
   * Issues an ISO mdoc PID (IssuerSigned, CBOR, base64url) with the same claims, named as for
   * SD-JWT VC (`birthdate` becomes the element `birth_date`, `nationalities` `nationality`), and an
   * entry in the same status list (the MSO's `status`).
   */
  async issueMdoc(request: Omit<PidIssueRequest, 'vct'>): Promise<IssuedPid> {
    const statusIndex = this.#takeStatusIndex();
    const now = Date.now();
    const validUntil = new Date((request.expiresAt ?? Math.floor(now / 1000) + 365 * 86_400) * 1000);
    const validFrom = new Date(Math.min(now, validUntil.getTime() - 86_400_000));
    const credential = await issueMdocPid({
      claims: request.claims,
      holderPublicJwk: request.holderPublicJwk as import('jose').JWK,
      issuerKey: this.issuer.privateKey,
      issuerCertificate: this.issuer.base64,
      validFrom,
      validUntil,
      status: { status_list: { idx: statusIndex, uri: this.statusListUri } },
    });
    return { credential, statusIndex };
  }

  /** Marks a PID revoked (status 1) in the status list. */
  revoke(statusIndex: number): void {
    this.#statuses.setStatus(statusIndex, 1);
  }

  /** The signed status list token (`application/statuslist+jwt`). */
  statusListToken(): string {
    const now = Math.floor(Date.now() / 1000);
    const { header, payload } = createHeaderAndPayload(
      this.#statuses,
      { iss: this.baseUrl, sub: this.statusListUri, iat: now, exp: now + 3600, ttl: 60 },
      { alg: 'ES256', typ: 'statuslist+jwt', x5c: [this.issuer.base64] },
    );
    const signingInput = `${b64(header)}.${b64(payload)}`;
    return `${signingInput}.${this.#sign(signingInput)}`;
  }

  #sign(data: string): string {
    return sign('sha256', Buffer.from(data, 'ascii'), {
      key: this.issuer.privateKey,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
  }
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

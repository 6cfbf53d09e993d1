/**
 * The sandbox's local itsme (ARCHITECTURE.md section 6): an OpenID Connect provider with itsme's
 * client-secret behaviour and claim names, and the relying party that plays Cognito's part.
 *
 * ```ts
 * const itsme = await LocalItsme.create({
 *   issuer: `${baseUrl}/local/itsme`,
 *   clientId, clientSecret, serviceCode,
 *   redirectUris: [`${baseUrl}/oauth2/idpresponse`],
 * });
 * createServer(async (req, res) => {
 *   if (await itsme.handler(req, res)) return; // body unread: the token endpoint parses it
 *   // ...the other sandbox routes
 * });
 * const login = await itsme.federate(attributes); // POST /local/login { provider: "itsme", attributes }
 * // login.userName === `itsme_${login.subject}`, login.attributes: { 'custom:national_number': ... }
 * ```
 *
 * Browser logins: `itsme.client().authorizationUrl({ state, nonce })` leads to the interaction page
 * `<issuer>/interaction/<uid>` (pick a test account or describe a new identity, approve, no password);
 * the provider then redirects to the redirect URI, where `client.completeLogin(url, { state, nonce })`
 * does Cognito's part.
 *
 * Automation: an authorization request with `login_hint=<sub of a registered account>` completes
 * without the page (an unknown one is answered with `error=login_required`);
 * {@link LocalItsme.federate} uses this. Real itsme and Cognito never send it.
 */
export { type ItsmeAccount, ItsmeAccounts } from './itsme/accounts.ts';
export {
  BE_NATIONAL_NUMBER_CLAIM,
  ITSME_ACR,
  ITSME_SCOPE_CLAIMS,
  type ItsmeClaims,
  type ItsmeClaimsInput,
  itsmeClaimsSchema,
  parseItsmeClaims,
  serviceScope,
} from './itsme/claims.ts';
export { LocalItsme, type LocalItsmeOptions, type NodeHandler } from './itsme/provider.ts';
export {
  type AuthorizationCallback,
  type AuthorizationRequest,
  type ItsmeFederatedLogin,
  ItsmeLoginError,
  type ItsmeLoginRefusalReason,
  LocalItsmeClient,
  type LocalItsmeClientOptions,
  mapItsmeClaimsToCognito,
  type ProviderFetch,
} from './itsme/relying-party.ts';

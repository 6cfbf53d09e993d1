/**
 * samlify with its schema validator registered: samlify refuses to parse any SAML message until one is
 * set. Every module of the local eIDAS IdP imports samlify through here.
 *
 * samlify is CommonJS and re-exports `SamlLib` through a getter node's ESM loader does not detect as a
 * named export, so the whole `module.exports` (the default import) is used, typed as the namespace.
 */
import { validate } from '@authenio/samlify-xmllint-wasm';
import type * as samlifyTypes from 'samlify';
import samlifyModule from 'samlify';

export const samlify = samlifyModule as unknown as typeof samlifyTypes;
export type IdentityProviderInstance = samlifyTypes.IdentityProviderInstance;
export type ServiceProviderInstance = samlifyTypes.ServiceProviderInstance;
export type ExtractorResult = ReturnType<typeof samlifyTypes.Extractor.extract>;

samlify.setSchemaValidator({ validate });

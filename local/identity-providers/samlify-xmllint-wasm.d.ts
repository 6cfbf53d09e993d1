/**
 * Types for @authenio/samlify-xmllint-wasm, which ships none: samlify's schema validator (the SAML 2.0
 * protocol, assertion, XML-DSig and XML-Enc schemas run through xmllint compiled to WebAssembly).
 */
declare module '@authenio/samlify-xmllint-wasm' {
  /** Resolves `true` when the document is schema-valid; rejects with `ERR_EXCEPTION_VALIDATE_XML`. */
  export function validate(xml: string): Promise<boolean>;
}

/**
 * The authorization page's script, as the text the page inlines (CSP nonce): it follows the
 * transaction until the wallet has answered, and offers the W3C Digital Credentials API where the
 * browser has it — feature-detected (`DigitalCredential`, `navigator.credentials.get`, and the
 * protocol allowed by `DigitalCredential.userAgentAllowsProtocol` when the browser has that), else the
 * page keeps only the same-device link and the QR code. On the button's press it fetches the signed
 * request object for the Digital Credentials API (`response_mode=dc_api.jwt`), asks the browser's
 * wallet with protocol `openid4vp-v1-signed` (OpenID4VP 1.0 appendix A), posts the encrypted answer
 * to the bridge and continues where the bridge sends it. Any failure leaves the link and QR code in
 * place and says so in the status line.
 *
 * Plain ES5-compatible JavaScript in a string, so that the page carries exactly what the unit test
 * runs (test/unit/wallet-bridge/page-script.test.ts runs it in `node:vm` with a fake browser).
 */

/** OpenID4VP 1.0 appendix A protocol identifier of a signed request. */
export const DIGITAL_CREDENTIALS_PROTOCOL = 'openid4vp-v1-signed';

/** What the script needs, from the server. */
export interface PageScriptConfig {
  /** `GET` → `{ status }`. */
  status: string;
  /** Where to go once the wallet has answered (the bridge's `/complete?tx=…`). */
  complete: string;
  /** `GET` → the request object for the Digital Credentials API. */
  digitalRequest: string;
  /** `POST response=<JWE>&dc_api=1` → `{ redirect_uri }`. */
  digitalResponse: string;
  protocol: string;
  /** This page again: once refused, it says why (renderRefusalPage). */
  refused: string;
  /** The status line's text when the browser's wallet gave no usable answer. */
  digitalFailed: string;
  /** Poll interval in milliseconds. */
  pollMs: number;
}

const SCRIPT = `function (config) {
  var doc = document;
  var statusLine = doc.getElementById('status');
  var leaving = false;
  function go(url) {
    if (leaving) return;
    leaving = true;
    location.assign(url);
  }
  function poll() {
    if (leaving) return;
    fetch(config.status, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status === 'verified') { go(config.complete); return; }
        if (s.status === 'failed') { go(config.refused); return; }
        setTimeout(poll, config.pollMs);
      })
      .catch(function () { setTimeout(poll, config.pollMs * 2); });
  }
  function digitalCredentials() {
    var api = window.DigitalCredential;
    var credentials = navigator.credentials;
    if (typeof api === 'undefined' || !credentials || typeof credentials.get !== 'function') return false;
    if (typeof api.userAgentAllowsProtocol === 'function') {
      try { return api.userAgentAllowsProtocol(config.protocol) === true; } catch (e) { return false; }
    }
    return true;
  }
  function failed() {
    if (statusLine) statusLine.textContent = config.digitalFailed;
  }
  var button = doc.getElementById('browser-wallet');
  if (button && digitalCredentials()) {
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      fetch(config.digitalRequest, { credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error('request object'); return r.text(); })
        .then(function (request) {
          return navigator.credentials.get({
            mediation: 'required',
            digital: { requests: [{ protocol: config.protocol, data: { request: request } }] }
          });
        })
        .then(function (credential) {
          var data = credential && credential.data;
          if (typeof data === 'string') data = JSON.parse(data);
          if (!data || typeof data.response !== 'string') throw new Error('no response');
          return fetch(config.digitalResponse, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: 'dc_api=1&response=' + encodeURIComponent(data.response)
          });
        })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          if (!answer || typeof answer.redirect_uri !== 'string') throw new Error('refused');
          go(answer.redirect_uri);
        })
        .catch(function () { button.disabled = false; failed(); });
    });
  }
  setTimeout(poll, config.pollMs);
}`;

/** The inline script of the authorization page for this configuration. */
export function renderPageScript(config: PageScriptConfig): string {
  // `<` escaped: the JSON sits inside a <script> element.
  return `(${SCRIPT})(${JSON.stringify(config).replace(/</g, '\\u003c')});`;
}

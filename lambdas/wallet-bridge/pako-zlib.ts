/**
 * The two functions of `pako` that @sd-jwt/jwt-status-list calls (`inflate` of a status list,
 * `deflate` when one is built), over Node's own zlib. The wallet bridge's bundle resolves `pako` to
 * this module (`bundleAliases` in lib/functions.ts), so it carries no 47 KB JavaScript port of zlib;
 * both speak the zlib format (RFC 1950) that the Token Status List uses.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** Decompresses zlib-wrapped DEFLATE data, as pako's `inflate` does (throws on corrupt input). */
export function inflate(data: Uint8Array): Uint8Array {
  return new Uint8Array(inflateSync(data));
}

/** Compresses to zlib-wrapped DEFLATE, as pako's `deflate` does. */
export function deflate(data: Uint8Array, options: { level?: number } = {}): Uint8Array {
  return new Uint8Array(deflateSync(data, options.level === undefined ? {} : { level: options.level }));
}

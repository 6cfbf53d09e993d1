import { StatusList } from '@sd-jwt/jwt-status-list';
import { describe, expect, it } from 'vitest';
import { deflate, inflate } from '../../../lambdas/wallet-bridge/pako-zlib.ts';

const fromBase64Url = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));
const toBase64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

const statuses = Array.from({ length: 1000 }, (_, index) => (index % 11 === 0 || index === 999 ? 1 : 0));

describe('pako over node:zlib (the wallet bridge bundle)', () => {
  it('inflates a status list the library compressed with pako', () => {
    const list = new StatusList(statuses, 1);

    const bytes = inflate(fromBase64Url(list.compressStatusList()));

    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toHaveLength(125);
    for (const [index, status] of statuses.entries()) {
      expect(((bytes[index >> 3] ?? 0) >> (index & 7)) & 1).toBe(status);
    }
  });

  it('deflates what the library (pako) inflates back, at the level asked for', () => {
    const raw = inflate(fromBase64Url(new StatusList(statuses, 1).compressStatusList()));

    for (const options of [{ level: 9 }, {}]) {
      const decoded = StatusList.decompressStatusList(toBase64Url(deflate(raw, options)), 1);
      expect(statuses.map((_, index) => decoded.getStatus(index))).toEqual(statuses);
    }
  });

  it('throws on data that is not zlib, as pako does', () => {
    expect(() => inflate(new TextEncoder().encode('not a status list'))).toThrow();
    expect(() => StatusList.decompressStatusList('bm90IGEgc3RhdHVzIGxpc3Q', 1)).toThrow();
  });
});

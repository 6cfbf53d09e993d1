import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derInteger } from '#local/der';

/** The value a DER INTEGER (short form) encodes, and whether its encoding is minimal. */
function decode(der: Buffer): { value: bigint; minimal: boolean } {
  expect(der[0]).toBe(0x02);
  const content = der.subarray(2, 2 + (der[1] ?? 0));
  const minimal =
    content.length === 1 ||
    !(
      (content[0] === 0x00 && ((content[1] ?? 0) & 0x80) === 0) ||
      (content[0] === 0xff && ((content[1] ?? 0) & 0x80) !== 0)
    );
  return { value: BigInt(`0x${content.toString('hex') || '0'}`), minimal };
}

describe('derInteger', () => {
  it('drops a leading zero byte that a random serial can start with', () => {
    expect(derInteger(Buffer.from([0x00, 0x12, 0x34]))).toEqual(Buffer.from([0x02, 0x02, 0x12, 0x34]));
  });

  it('keeps the number positive when its high bit is set', () => {
    expect(derInteger(Buffer.from([0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
  });

  it('encodes every unsigned value minimally, positive and unchanged', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 20 }), (bytes) => {
        const input = Buffer.from(bytes);
        const { value, minimal } = decode(derInteger(input));
        expect(minimal).toBe(true);
        expect(value).toBe(BigInt(`0x${input.toString('hex')}`));
        expect((derInteger(input)[2] ?? 0) & 0x80).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});

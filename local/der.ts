/**
 * The few DER encodings the sandbox's in-memory X.509 certificates need (node:crypto makes keys and
 * signatures but not certificates): tag-length-value, SEQUENCE, INTEGER, OBJECT IDENTIFIER, the
 * certificate times, and the PEM armour.
 */

/** A DER element: `tag`, the definite length (short or long form), `content`. */
export function tagged(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) {
    header = Buffer.from([tag, length]);
  } else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

/** A SEQUENCE of the encoded `parts`. */
export const sequence = (...parts: Buffer[]): Buffer => tagged(0x30, Buffer.concat(parts));

/**
 * A non-negative INTEGER in DER's minimal form: redundant leading zero bytes are dropped (a random
 * serial can start with one, which strict parsers reject as "illegal padding"), and one zero byte is
 * kept or added when the next byte's high bit would otherwise make the number negative.
 */
export function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0 && ((value[start + 1] ?? 0) & 0x80) === 0) start += 1;
  const minimal = value.subarray(start);
  return tagged(0x02, (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) base128.unshift((value & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tagged(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function certificateTime(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tagged(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tagged(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

/** A DER certificate as base64 (what `x5c`, SAML metadata and KeyInfo carry) and as PEM. */
export function certificateText(der: Buffer): { base64: string; pem: string } {
  const base64 = der.toString('base64');
  return {
    base64,
    pem: `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`,
  };
}

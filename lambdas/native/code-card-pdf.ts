/**
 * A minimal PDF (1.4, one A4 page, the standard Helvetica font) of a code card: the person's name,
 * the card reference and the 24 numbered codes. Written by hand so that the platform needs no PDF
 * dependency; text is WinAnsi (Latin-1), other characters print as `?`.
 */

/** What the printed card shows. */
export interface CodeCardPdfInput {
  /** The person's name as printed. */
  holder: string;
  username: string;
  cardId: string;
  /** ISO date the card was issued. */
  issuedAt: string;
  /** `codes[i]` is the code at position `i + 1`. */
  codes: readonly string[];
}

/** A PDF string literal: Latin-1, with `\`, `(` and `)` escaped and other characters replaced. */
function pdfText(value: string): string {
  let out = '';
  for (const char of value.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 63;
    const safe = code >= 32 && code <= 255 && code !== 127 ? char : '?';
    out += safe === '\\' || safe === '(' || safe === ')' ? `\\${safe}` : safe;
  }
  return `(${out})`;
}

function textLine(font: 'F1' | 'F2', size: number, x: number, y: number, value: string): string {
  return `BT /${font} ${size} Tf ${x} ${y} Td ${pdfText(value)} Tj ET`;
}

/** The page's content stream. */
function pageContent(input: CodeCardPdfInput): string {
  const lines: string[] = [
    textLine('F2', 18, 56, 780, 'eID Access - code card'),
    textLine('F1', 11, 56, 756, `Holder: ${input.holder}`),
    textLine('F1', 11, 56, 740, `Username: ${input.username}`),
    textLine('F1', 11, 56, 724, `Card: ${input.cardId}   Issued: ${input.issuedAt.slice(0, 10)}`),
    textLine('F1', 10, 56, 700, 'At login you are asked the code at one position. Keep this card private.'),
    textLine('F1', 10, 56, 686, 'A new card replaces this one at once.'),
  ];
  // Three columns of eight rows, numbered top-down per column.
  input.codes.forEach((code, index) => {
    const column = Math.floor(index / 8);
    const row = index % 8;
    const x = 56 + column * 170;
    const y = 640 - row * 28;
    lines.push(textLine('F1', 12, x, y, `${String(index + 1).padStart(2, '0')}.`));
    lines.push(textLine('F2', 14, x + 28, y, code));
  });
  return lines.join('\n');
}

/** The PDF bytes. */
export function renderCodeCardPdf(input: CodeCardPdfInput): Uint8Array {
  const content = pageContent(input);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

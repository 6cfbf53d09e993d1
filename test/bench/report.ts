/**
 * Keeps generated sections of docs/performance.md up to date: a section is the text between
 * `<!-- <name>:start -->` and `<!-- <name>:end -->`; everything else in the file is left alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) the section `name` of the markdown file at `path` with `content`. */
export function replaceSection(path: string, name: string, content: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}`
      : `${text.trimEnd()}${text ? '\n\n' : ''}${block}\n`;
  writeFileSync(path, next);
}

/** The percentile `p` (0-100) of ascending `sorted` samples, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

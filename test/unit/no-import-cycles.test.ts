import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `folder` and every folder below it, as paths relative to the repository. */
function foldersUnder(folder: string): string[] {
  return [
    folder,
    ...readdirSync(join(ROOT, folder))
      .filter((name) => statSync(join(ROOT, folder, name)).isDirectory())
      .flatMap((name) => foldersUnder(`${folder}/${name}`)),
  ];
}

/**
 * The folders whose modules must not import each other in a circle (type-only imports included):
 * every folder of the sandbox (`local/`, issue 13 item 4) and every Lambda context and
 * `lambdas/shared` (item 3).
 */
const FOLDERS = [...foldersUnder('local'), ...foldersUnder('lambdas')];

/**
 * A context's composition root: its production wiring (`deps.ts`) or Lambda entry (`api.ts`), the
 * one place it may bind a port of its own to another context's implementation (issue 13, item 3).
 */
const COMPOSITION_ROOTS = new Set(['deps.ts', 'api.ts']);

/** package.json `imports`: `#shared/*` → `./lambdas/shared/*.ts` and the others. */
const ALIASES = Object.entries(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { imports: Record<string, string> })
    .imports,
).map(([alias, target]) => ({ prefix: alias.replace('*', ''), target }));

/** Every module specifier a source imports or re-exports, `import type` and `import()` included. */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

/** A specifier as a path relative to the repository, or `undefined` for a package. */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const alias = ALIASES.find(({ prefix }) => specifier.startsWith(prefix));
  if (alias) return alias.target.replace('./', '').replace('*', specifier.slice(alias.prefix.length));
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    return relative(ROOT, resolve(ROOT, dirname(fromFile), specifier));
  }
  return undefined;
}

/** The import graph of the folders' modules: file → files it imports within the folders. */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const files = folders.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `${folder}/${name}`),
  );
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      specifiers(readFileSync(join(ROOT, file), 'utf8'))
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => target !== undefined && known.has(target)),
    ]),
  );
}

/** The circles a depth-first walk meets (at least one if the graph has any), as paths `a → b → a`. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string) => {
    const index = path.indexOf(node);
    if (index >= 0) {
      cycles.push([...path.slice(index), node]);
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return cycles;
}

describe('module imports of the sandbox and the Lambda code', () => {
  it('finds the circles of a graph, type-only and re-export edges included', () => {
    const sources = {
      'a.ts': "import { b } from './b.ts';",
      'b.ts': "import type {\n  C,\n} from './c.ts';",
      'c.ts': "export { a } from './a.ts';\nimport { z } from 'zod';",
      'd.ts': "import { a } from './a.ts';",
    };
    const synthetic = new Map(
      Object.entries(sources).map(([file, source]) => [
        file,
        specifiers(source)
          .map((specifier) => resolveSpecifier(file, specifier))
          .filter((target): target is string => target !== undefined),
      ]),
    );

    expect(findCycles(synthetic)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(findCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts', 'a.ts']]);
    expect(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it.each(FOLDERS)('has no import circle in %s or through the other folders', (folder) => {
    const graph = importGraph(FOLDERS);
    const cycles = findCycles(graph).filter((cycle) => cycle.some((file) => file.startsWith(`${folder}/`)));

    expect(cycles.map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('lets a Lambda context import another only in its composition root, where a port is bound', () => {
    const contextOf = (file: string) => file.match(/^lambdas\/([^/]+)\//)?.[1];
    const violations: string[] = [];
    for (const [file, targets] of importGraph(FOLDERS)) {
      const context = contextOf(file);
      if (!context || context === 'shared' || COMPOSITION_ROOTS.has(basename(file))) continue;
      for (const target of targets) {
        const other = contextOf(target);
        if (other && other !== 'shared' && other !== context) violations.push(`${file} → ${target}`);
      }
    }

    expect(violations).toEqual([]);
  });

  it('resolves the package.json aliases, so that circles through #shared or #identity count', () => {
    expect(resolveSpecifier('lambdas/rights/x.ts', '#shared/items/right-request')).toBe(
      'lambdas/shared/items/right-request.ts',
    );
    expect(resolveSpecifier('local/server/x.ts', '#local/aws/faults')).toBe('local/aws/faults.ts');
    expect(FOLDERS).toEqual(expect.arrayContaining(['lambdas/shared/items', 'lambdas/identity/api']));
  });

  it('reads the imports of every module of local/cognito', () => {
    const graph = importGraph(['local/cognito']);

    expect(graph.get('local/cognito/idp-endpoint.ts')).toEqual(
      expect.arrayContaining(['local/cognito/auth-flows.ts', 'local/cognito/native-state.ts']),
    );
    expect(graph.get('local/cognito/hosted-login.ts')).toContain('local/cognito/pool-model.ts');
  });
});

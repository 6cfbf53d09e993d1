import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { API_ROUTES, buildApiDocument, OPENAPI_PATH, renderApiDocument } from '#lib/api-routes';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const committedPath = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', OPENAPI_PATH);

describe('docs/openapi.json', () => {
  it('equals the document generated from the routes (run npm run openapi when this fails)', () => {
    const committed = readFileSync(committedPath, 'utf8');

    expect(committed).toBe(renderApiDocument());
  });

  it('documents every route of every context, each behind the Cognito security scheme', () => {
    const document = buildApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { security: unknown }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(document.openapi).toBe('3.1.0');
    expect(documented.sort()).toEqual(
      API_ROUTES.flatMap((context) => context.routes)
        .map((route) => `${route.definition.method} ${route.definition.resource}`)
        .sort(),
    );
    expect(documented).toEqual(expect.arrayContaining(['GET /me', 'POST /me/insz']));
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) expect(operation.security).toEqual([{ cognito: [] }]);
    }
  });

  it('names the access token with the API scope as the bearer, never the ID token', () => {
    const document = buildApiDocument() as {
      components: { securitySchemes: Record<string, { type: string; scheme: string; description: string }> };
    };

    const scheme = document.components.securitySchemes.cognito;

    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme?.description).toContain('access token');
    expect(scheme?.description).toContain('eid-access/api');
    expect(scheme?.description).toMatch(/ID tokens are refused with 401/);
  });
});

/**
 * Writes docs/openapi.json from the route definitions (`npm run openapi`). With `--check` it writes
 * nothing and exits 1 when the committed document is stale (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENAPI_PATH, renderApiDocument } from '#lib/api-routes';

const target = resolve(dirname(fileURLToPath(import.meta.url)), '..', OPENAPI_PATH);
const document = renderApiDocument();

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== document) {
    console.error(`${OPENAPI_PATH} is stale: run npm run openapi`);
    process.exitCode = 1;
  }
} else {
  await writeFile(target, document);
  console.log(`wrote ${OPENAPI_PATH}`);
}

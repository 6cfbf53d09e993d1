import { afterAll } from 'vitest';
import { removeTestAppOutdirs } from '#test/helpers/test-outdir';

// Setup file of every project (vitest.config.ts): the cloud assemblies a test file synthesized go
// with it.
afterAll(removeTestAppOutdirs);

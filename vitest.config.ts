import { defineConfig } from 'vitest/config';

/**
 * Three projects, all hermetic (no AWS account):
 * - unit: single handlers and pure modules, AWS clients mocked with aws-sdk-client-mock;
 * - infra: the CDK app synthesized for every stage, assertions and cdk-nag;
 * - integration: real DynamoDB Local (started once by the global setup), state machines from the
 *   synthesized definitions, real OIDC/SAML peers;
 * - e2e: the sandbox started as a child process, driven over HTTP (and a real browser where needed).
 */
export default defineConfig({
  test: {
    // Node 20 is a supported development runtime here (README, "Node.js versions"): the AWS SDK's
    // notice that its 2027 releases need Node 22 concerns versions this project does not install.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/dynamodb-global-setup.ts'],
          // Handlers log every refused request at INFO: tens of thousands of lines under the fuzzer.
          env: { POWERTOOLS_LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/chromium-global-setup.ts'],
          // Each file starts the sandbox as a child process (`npm start`'s entry point) and talks HTTP only.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
    setupFiles: ['test/helpers/test-outdir-cleanup.ts'],
    restoreMocks: true,
    unstubEnvs: true,
  },
});

import { describe, expect, it } from 'vitest';
import {
  deployEnvironment,
  NATIVE_CLIENT_NAME,
  placeholderPaths,
  resolveStageConfig,
  StageConfigError,
} from '#lib/config';
import { COMMITTED_STAGES, committedStageInput, readProjectFile, stageInput } from '#test/helpers/infra';

type Mutable = Record<string, unknown> & {
  cognito: Record<string, unknown>;
  eidas: Record<string, unknown>;
  itsme: Record<string, unknown>;
  relyingApplications: Record<string, unknown>[];
};

const devInput = (): Mutable => stageInput('dev') as Mutable;

/** The issues of the StageConfigError `act` throws, or fails the test. */
function issuesOf(act: () => unknown) {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(StageConfigError);
    return (error as StageConfigError).issues;
  }
  throw new Error('expected a StageConfigError');
}

describe('resolveStageConfig', () => {
  it.each(COMMITTED_STAGES)('accepts the committed %s config of cdk.json', (stage) => {
    const config = resolveStageConfig(stage, stageInput(stage), readProjectFile);

    expect(config.stage).toBe(stage);
    expect(config.eidas.refusedNationalities).toEqual(['FR', 'GB']);
    expect(config.eidas.minimumLoa).toBe('substantial');
  });

  it('reads the dev eIDAS metadata file when the config names a file', () => {
    const config = resolveStageConfig('dev', devInput(), readProjectFile);

    expect(config.eidas.metadata).toEqual({ xml: readProjectFile('lib/identity/dev-eidas-metadata.xml') });
    expect('xml' in config.eidas.metadata && config.eidas.metadata.xml).toContain('IDPSSODescriptor');
  });

  it('keeps the prod metadata URL when the config names a URL', () => {
    const config = resolveStageConfig('prod', stageInput('prod'), readProjectFile);

    expect(config.eidas.metadata).toEqual({
      url: (stageInput('prod').eidas as { metadata: { url: string } }).metadata.url,
    });
  });

  it('keeps prod data: retained and deletion-protected', () => {
    const config = resolveStageConfig('prod', stageInput('prod'), readProjectFile);

    expect(config.removalPolicy).toBe('retain');
    expect(config.deletionProtection).toBe(true);
  });

  it('applies the documented defaults when optional fields are absent', () => {
    const input = devInput();
    delete input.logLevel;
    delete input.removalPolicy;
    delete input.deletionProtection;
    delete input.cognito.featurePlan;
    for (const key of ['signRequests', 'encryptedResponses', 'refusedNationalities', 'minimumLoa']) {
      delete input.eidas[key];
    }

    const testInput = stageInput('prod') as Mutable;
    delete testInput.removalPolicy;
    delete testInput.deletionProtection;
    delete testInput.backup;
    testInput.cognito.domainPrefix = 'vlaanderen-eid-access-test';

    const dev = resolveStageConfig('dev', input, readProjectFile);
    const test = resolveStageConfig('test', testInput, readProjectFile);

    expect(dev).toMatchObject({
      logLevel: 'INFO',
      removalPolicy: 'destroy',
      deletionProtection: false,
      cognito: { featurePlan: 'essentials' },
      eidas: {
        signRequests: true,
        encryptedResponses: true,
        refusedNationalities: ['FR', 'GB'],
        minimumLoa: 'substantial',
      },
    });
    expect(dev.backup).toEqual({ enabled: false, retentionDays: 35 });
    expect(dev.cognito.threatProtection).toBe('audit');
    expect(dev.api.manageAccountLogging).toBe(false);
    expect(test).toMatchObject({
      removalPolicy: 'retain',
      deletionProtection: true,
      backup: { enabled: true, retentionDays: 35 },
    });
  });

  it('reports the path of each invalid field when several are wrong', () => {
    const input = devInput();
    input.eidas.refusedNationalities = ['FR', 'gb'];
    input.eidas.minimumLoa = 'medium';
    input.itsme.issuer = 'http://idp.e2e.itsme.services/v2';
    delete input.itsme.clientId;

    const paths = issuesOf(() => resolveStageConfig('dev', input, readProjectFile)).map(
      (issue) => issue.path,
    );

    expect(paths).toEqual(
      expect.arrayContaining([
        'eidas.refusedNationalities.1',
        'eidas.minimumLoa',
        'itsme.issuer',
        'itsme.clientId',
      ]),
    );
    expect(paths).toHaveLength(4);
  });

  it.each([
    ['logRetentionDays', (input: Mutable) => Object.assign(input, { logRetentionDays: 31 })],
    [
      'cognito.domainPrefix',
      (input: Mutable) => Object.assign(input.cognito, { domainPrefix: 'my-cognito-login' }),
    ],
    ['cognito.featurePlan', (input: Mutable) => Object.assign(input.cognito, { featurePlan: 'lite' })],
    [
      'eidas.metadata.url',
      (input: Mutable) => Object.assign(input.eidas, { metadata: { url: 'http://gateway.example/md' } }),
    ],
    ['itsme.serviceCode', (input: Mutable) => Object.assign(input.itsme, { serviceCode: 'has space' })],
    [
      'relyingApplications.0.callbackUrls.0',
      (input: Mutable) =>
        Object.assign(input.relyingApplications[0] ?? {}, { callbackUrls: ['http://portal.example.be/cb'] }),
    ],
    ['relyingApplications', (input: Mutable) => Object.assign(input, { relyingApplications: [] })],
    ['ses.sender', (input: Mutable) => Object.assign(input, { ses: { sender: 'not-an-address' } })],
    ['(root)', (input: Mutable) => Object.assign(input, { logRetention: 14 })],
  ])('rejects a bad %s with its path', (path, corrupt) => {
    const input = devInput();
    corrupt(input);

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toContain(path);
  });

  it('rejects duplicate relying application names when two apps share a name', () => {
    const input = devInput();
    input.relyingApplications = [input.relyingApplications[0] ?? {}, input.relyingApplications[0] ?? {}];

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues).toEqual([
      { path: 'relyingApplications', message: 'relying application names must be unique' },
    ]);
  });

  it('refuses a relying application named like the native sign-in client', () => {
    const input = devInput();
    input.relyingApplications = [
      ...input.relyingApplications,
      { ...input.relyingApplications[0], name: NATIVE_CLIENT_NAME },
    ];

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues).toEqual([
      {
        path: `relyingApplications.${input.relyingApplications.length - 1}.name`,
        message: '"portal-native" is the native sign-in client of the portal: choose another name',
      },
    ]);
  });

  it("refuses a wallet bridge whose trust anchors share the keys' secret", () => {
    const input = devInput();
    const bridge = input.walletBridge as Record<string, unknown>;
    input.walletBridge = { ...bridge, trustAnchorsSecretName: bridge.secretName };

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues).toEqual([
      {
        path: 'walletBridge.trustAnchorsSecretName',
        message: 'trustAnchorsSecretName must name its own secret, not the one with the keys',
      },
    ]);
  });

  it('refuses a prod config that would delete data when removalPolicy is destroy', () => {
    const input = stageInput('prod');
    input.removalPolicy = 'destroy';

    const issues = issuesOf(() => resolveStageConfig('prod', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['removalPolicy']);
  });

  it('fails with the stage path when the stage has no configuration', () => {
    const issues = issuesOf(() => resolveStageConfig('qa', undefined, readProjectFile));

    expect(issues).toEqual([{ path: 'stages.qa', message: 'no configuration for this stage' }]);
  });

  it('rejects a stage name that cannot be part of a stack id', () => {
    const issues = issuesOf(() => resolveStageConfig('Dev_1', devInput(), readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['stage']);
  });

  it('fails on the metadata path when the metadata file cannot be read', () => {
    const input = devInput();
    input.eidas.metadata = { file: 'lib/identity/missing.xml' };

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues).toEqual([
      { path: 'eidas.metadata.file', message: 'cannot read lib/identity/missing.xml' },
    ]);
  });

  it('fails on the metadata path when the file is not IdP metadata', () => {
    const issues = issuesOf(() => resolveStageConfig('dev', devInput(), () => '<md:EntityDescriptor/>'));

    expect(issues.map((issue) => issue.path)).toEqual(['eidas.metadata.file']);
  });

  it('names the stage and every path in the error message', () => {
    const input = devInput();
    input.cognito.domainPrefix = 'UPPER';

    expect(() => resolveStageConfig('dev', input, readProjectFile)).toThrow(
      /Invalid configuration for stage "dev":\n {2}- cognito\.domainPrefix: /,
    );
  });

  it('refuses the committed prod config of cdk.json with the path of every placeholder', () => {
    const issues = issuesOf(() => resolveStageConfig('prod', committedStageInput('prod'), readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'aws.account',
        'cognito.domainPrefix',
        'eidas.metadata.url',
        'itsme.clientId',
        'itsme.serviceCode',
        'relyingApplications.0.callbackUrls.0',
        'ses.sender',
        'portal.certificateArn',
        'portal.authority.name',
        'portal.authority.email',
        'observability.alarmEmail',
      ]),
    );
  });

  it('refuses a prod config whose portal names no operating authority', () => {
    const input = stageInput('prod') as { portal: Record<string, unknown> };
    delete input.portal.authority;

    const issues = issuesOf(() => resolveStageConfig('prod', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toContain('portal.authority');
  });

  it('accepts placeholders in dev, where the sandbox and developer accounts run', () => {
    const input = devInput();
    input.itsme.clientId = 'replace-with-itsme-client-id';

    expect(resolveStageConfig('dev', input, readProjectFile).itsme.clientId).toBe(
      'replace-with-itsme-client-id',
    );
  });

  it.each([
    ['replace-with-client', true],
    ['REPLACE_WITH_SERVICE_CODE', true],
    ['https://gateway.example.be/md', true],
    ['no-reply@dev.eid-access.example', true],
    ['arn:aws:acm:us-east-1:123456789012:certificate/abc', true],
    ['dev-placeholder-id', true],
    ['https://eidas.belgium.be/metadata', false],
    ['no-reply@eid-access.vlaanderen.be', false],
    ['counterexample.be', false],
  ])('finds %s a placeholder: %s', (value, found) => {
    expect(placeholderPaths({ a: [{ b: value }] })).toEqual(found ? ['a.0.b'] : []);
  });

  it('refuses a prod config whose alarms reach nobody', () => {
    const input = stageInput('prod');
    input.observability = {};

    const issues = issuesOf(() => resolveStageConfig('prod', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['observability']);
  });

  it('refuses a stage outside dev without a pinned account', () => {
    const input = stageInput('prod');
    input.aws = { regions: ['eu-west-1'] };

    const issues = issuesOf(() => resolveStageConfig('prod', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['aws.account']);
  });

  it('refuses a domain prefix that does not name the stage', () => {
    const input = stageInput('prod') as Mutable;
    input.cognito.domainPrefix = 'eid-access';

    const issues = issuesOf(() => resolveStageConfig('prod', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['cognito.domainPrefix']);
  });

  it('refuses enforced threat protection without the plus plan', () => {
    const input = devInput();
    input.cognito.threatProtection = 'enforce';

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues.map((issue) => issue.path)).toEqual(['cognito.threatProtection']);
  });

  it('says "give url or file" when the eIDAS metadata is missing', () => {
    const input = devInput();
    delete input.eidas.metadata;

    const issues = issuesOf(() => resolveStageConfig('dev', input, readProjectFile));

    expect(issues).toEqual([{ path: 'eidas.metadata', message: expect.stringMatching(/"url".*"file"/) }]);
  });
});

describe('deployEnvironment', () => {
  const prod = () => resolveStageConfig('prod', stageInput('prod'), readProjectFile);

  it('pins the configured account and the first region when the environment names none', () => {
    expect(deployEnvironment(prod(), {})).toEqual({ account: '210987654321', region: 'eu-west-1' });
  });

  it('accepts credentials of the configured account in an allowed region', () => {
    expect(deployEnvironment(prod(), { account: '210987654321', region: 'eu-west-1' })).toEqual({
      account: '210987654321',
      region: 'eu-west-1',
    });
  });

  it('refuses credentials of another account with the field path', () => {
    const issues = issuesOf(() =>
      deployEnvironment(prod(), { account: '999999999999', region: 'eu-west-1' }),
    );

    expect(issues).toEqual([{ path: 'aws.account', message: expect.stringContaining('999999999999') }]);
  });

  it('refuses a region outside the stage list', () => {
    const issues = issuesOf(() => deployEnvironment(prod(), { region: 'us-east-1' }));

    expect(issues.map((issue) => issue.path)).toEqual(['aws.regions']);
  });

  it("takes the CLI's default region when it is one of the stage's regions", () => {
    const dev = resolveStageConfig('dev', devInput(), readProjectFile);

    expect(deployEnvironment(dev, { defaultRegion: 'eu-central-1' })).toEqual({ region: 'eu-central-1' });
  });

  it("falls back to the stage's first region when the CLI's default region is not one of them", () => {
    // The CLI's default on a machine without AWS configuration is us-east-1: synth must still work,
    // and the stacks name eu-west-1, so a deploy goes there whatever the profile says.
    expect(deployEnvironment(prod(), { defaultRegion: 'us-east-1' })).toEqual({
      account: '210987654321',
      region: 'eu-west-1',
    });
  });

  it("refuses a chosen region outside the stage list even when the CLI's default is allowed", () => {
    const issues = issuesOf(() =>
      deployEnvironment(prod(), { region: 'us-east-1', defaultRegion: 'eu-west-1' }),
    );

    expect(issues).toEqual([
      { path: 'aws.regions', message: expect.stringContaining('us-east-1 (AWS_REGION)') },
    ]);
  });

  it('lets dev deploy to the account of the credentials', () => {
    const dev = resolveStageConfig('dev', devInput(), readProjectFile);

    expect(deployEnvironment(dev, { account: '111111111111', region: 'eu-central-1' })).toEqual({
      account: '111111111111',
      region: 'eu-central-1',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { resolveStageConfig, StageConfigError } from '#lib/config';
import { COMMITTED_STAGES, readProjectFile, stageInput } from '#test/helpers/infra';

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

    const dev = resolveStageConfig('dev', input, readProjectFile);
    const test = resolveStageConfig('test', input, readProjectFile);

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
    expect(test).toMatchObject({ removalPolicy: 'retain', deletionProtection: true });
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
});

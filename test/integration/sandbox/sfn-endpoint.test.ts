import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { localStateMachineArn } from '#local/server/functions';
import { LocalSfnEndpoint } from '#local/server/sfn-endpoint';
import { LocalWorkflowRunner } from '#local/step-functions';
import { SfnWorkflow } from '#shared/sfn-workflow';
import { TaskTokenExpiredError, WorkflowAlreadyStartedError } from '#shared/workflow';

const MACHINE = 'ReviewMachine';
const ARN = localStateMachineArn(MACHINE);
const definition = {
  StartAt: 'Review',
  States: {
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:Notify',
        Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' },
      },
      TimeoutSeconds: 3600,
      End: true,
    },
  },
};

const tokens = new Map<string, string>();
const runner = new LocalWorkflowRunner({
  definition,
  stateMachineName: MACHINE,
  handlers: {
    Notify: (payload) => {
      const { token, input } = payload as { token: string; input: { id: string } };
      tokens.set(input.id, token);
      return {};
    },
  },
});
let server: Server;
let client: SFNClient;

beforeAll(async () => {
  const endpoint = new LocalSfnEndpoint(new Map([[ARN, runner]]));
  server = createServer((req, res) => void endpoint.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/local/aws/sfn`,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await runner.close();
  await new Promise((resolve) => server.close(resolve));
});

async function tokenOf(id: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const token = tokens.get(id);
    if (token) return token;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no task token for ${id}`);
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

describe('LocalSfnEndpoint with @aws-sdk/client-sfn', () => {
  it('starts, resumes and describes an execution when the SDK drives it', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'exec-ok', input: '{"id":"exec-ok"}' }),
    );
    await client.send(new SendTaskHeartbeatCommand({ taskToken: await tokenOf('exec-ok') }));
    await client.send(
      new SendTaskSuccessCommand({ taskToken: await tokenOf('exec-ok'), output: '{"ok":true}' }),
    );
    await runner.waitForCompletion('exec-ok');
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));

    expect(started.executionArn).toBe(runner.executionArn('exec-ok'));
    expect(started.startDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: ARN, output: '{"ok":true}' });
  });

  it('fails the execution with the sent error when SendTaskFailure is called', async () => {
    await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'exec-fail', input: '{"id":"exec-fail"}' }),
    );
    await client.send(
      new SendTaskFailureCommand({ taskToken: await tokenOf('exec-fail'), error: 'Rejected', cause: 'no' }),
    );
    await runner.waitForCompletion('exec-fail');
    const described = await client.send(
      new DescribeExecutionCommand({ executionArn: runner.executionArn('exec-fail') }),
    );

    expect(described).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  });

  it('throws the SDK exception names when a call cannot be served', async () => {
    await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'exec-dup', input: '{"id":"exec-dup"}' }),
    );
    const answered = await tokenOf('exec-dup');

    expect(
      await errorName(client.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))),
    ).toBe('InvalidToken');
    expect(
      await errorName(
        client.send(new SendTaskSuccessCommand({ taskToken: `AQLocal${'A'.repeat(64)}`, output: '{}' })),
      ),
    ).toBe('TaskDoesNotExist');
    expect(
      await errorName(
        client.send(
          new StartExecutionCommand({ stateMachineArn: ARN, name: 'exec-dup', input: '{"id":"other"}' }),
        ),
      ),
    ).toBe('ExecutionAlreadyExists');
    expect(
      await errorName(
        client.send(new StartExecutionCommand({ stateMachineArn: localStateMachineArn('Nope') })),
      ),
    ).toBe('StateMachineDoesNotExist');
    expect(
      await errorName(
        client.send(new DescribeExecutionCommand({ executionArn: runner.executionArn('never') })),
      ),
    ).toBe('ExecutionDoesNotExist');
    await client.send(new SendTaskSuccessCommand({ taskToken: answered, output: '{}' }));
    expect(
      await errorName(client.send(new SendTaskSuccessCommand({ taskToken: answered, output: '{}' }))),
    ).toBe('TaskTimedOut');
  });

  it('lets SfnWorkflow translate the errors to domain errors when the API code calls it', async () => {
    const workflow = new SfnWorkflow(ARN, client);
    await workflow.startExecution('exec-port', { requestId: 'exec-port', id: 'exec-port' });
    const token = await tokenOf('exec-port');
    await workflow.sendTaskSuccess(token, { decision: 'approve' });

    await expect(workflow.sendTaskSuccess(token, { decision: 'approve' })).rejects.toBeInstanceOf(
      TaskTokenExpiredError,
    );
    await expect(
      workflow.startExecution('exec-port', { requestId: 'exec-port', id: 'other' }),
    ).rejects.toBeInstanceOf(WorkflowAlreadyStartedError);
  });
});

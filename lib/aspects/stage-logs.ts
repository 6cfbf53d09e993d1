import { Aws, CfnDeletionPolicy, CfnResource, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

/** Properties of {@link LogEncryption}. */
export interface LogEncryptionProps {
  /** Stage name, for the key's description. */
  readonly stage: string;
  /** What happens to the key when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed key of every log group of a stack, and the aspect that puts it on them: log
 * lines can carry personal data (person ids, request fields), so none is left on the AWS-owned key.
 * The key policy lets CloudWatch Logs of this account and region use it for this account's log
 * groups only (the `aws:logs:arn` encryption context), as the CloudWatch Logs guide requires.
 */
export class LogEncryption extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: LogEncryptionProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `eid-access ${props.stage}: encrypts the log groups`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
  }
}

/** Puts `key` on every log group of the scope that has none. */
export class EncryptLogGroups implements IAspect {
  constructor(private readonly key: Key) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup && node.kmsKeyId === undefined && Stack.of(node) === Stack.of(this.key)) {
      // The key ARN's GetAtt orders the log group after the key and its policy: no DependsOn needed.
      node.kmsKeyId = this.key.keyArn;
    }
  }
}

/**
 * `removalPolicy: destroy` means nothing is left behind: every resource of the scope that would be
 * retained on delete or replacement (log groups, keys, Lambda versions, custom-resource leftovers)
 * is deleted instead. Only for stages whose config says destroy (dev).
 */
export class DestroyEverything implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const { deletionPolicy, updateReplacePolicy } = node.cfnOptions;
    if (
      deletionPolicy === CfnDeletionPolicy.RETAIN ||
      deletionPolicy === CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE ||
      updateReplacePolicy === CfnDeletionPolicy.RETAIN
    ) {
      node.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
  }
}

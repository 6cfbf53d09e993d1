import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeControl, acknowledgeHealthcarePacks } from '../compliance.ts';
import type { StageConfig } from '../config.ts';
import { tableSchema } from '../data/table-schema.ts';

/** Properties of the {@link DataStack}. */
export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateful resources: the single table and the customer-managed key that encrypts it. Kept apart
 * from compute so the access stack can be replaced freely; retained and deletion-protected in prod.
 */
export class DataStack extends Stack {
  /** The single table, built from `lib/data/table-schema.ts`. */
  readonly table: Table;
  /** The customer-managed key of the table (and of any later personal data at rest). */
  readonly key: Key;
  /**
   * Trade-register extracts of foreign companies (personal data: names of legal representatives).
   * Private, SSE-KMS with {@link DataStack.key}, TLS only; objects are written through presigned
   * PUTs under `uploads/<personId>/`, tagged `state=unused` until a registration attaches them.
   */
  readonly uploadBucket: Bucket;
  /** The AWS Backup plan of the table, when the stage config enables it (prod). */
  readonly backupPlan?: BackupPlan;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new Key(this, 'TableKey', {
      description: `eid-access ${config.stage}: encrypts the personal data in the table`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // The construct id 'Table' is part of the table's logical id: renaming it replaces the table.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    // Versioning off: every object is written once under a fresh key and never overwritten, and
    // noncurrent versions would keep deleted personal data past the lifecycle rules below.
    this.uploadBucket = new Bucket(this, 'UploadBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy,
      lifecycleRules: [
        { id: 'ExpireUnusedUploads', tagFilters: { state: 'unused' }, expiration: Duration.days(1) },
        { id: 'ExpireDiscardedExtracts', tagFilters: { state: 'discarded' }, expiration: Duration.days(30) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      ...(config.api.allowedOrigins.length > 0
        ? {
            // The portals upload and download in the browser, straight to S3 with presigned URLs.
            cors: [
              {
                allowedOrigins: [...config.api.allowedOrigins],
                allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
                allowedHeaders: [
                  'content-type',
                  'x-amz-server-side-encryption',
                  'x-amz-server-side-encryption-aws-kms-key-id',
                  'x-amz-tagging',
                ],
                maxAge: 3600,
              },
            ],
          }
        : {}),
    });
    Validations.of(this.uploadBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'No server access log bucket (it would be a second stateful bucket for one prefix): every object ' +
        'is reached only through presigned URLs the organisations API issues and logs (person id, upload ' +
        'id, registration id) behind API Gateway access logs; object-level audit is CloudTrail S3 data ' +
        'events, enabled at the account level by the operator.',
    });

    this.acknowledgeUploadControls();
    if (!config.backup.enabled) {
      acknowledgeHealthcarePacks(
        this.table,
        'DynamoDBInBackupPlan',
        `Stage ${config.stage} has backup.enabled false in cdk.json: it holds synthetic test data only and ` +
          'keeps point-in-time recovery; stages with real data enable the AWS Backup plan below.',
      );
    }

    if (config.backup.enabled) {
      // Point-in-time recovery keeps 35 days; the plan keeps daily points for the configured days
      // and monthly points for a year, in a vault encrypted with the table's key and never deleted
      // with the stack.
      const vault = new BackupVault(this, 'BackupVault', {
        encryptionKey: this.key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.backupPlan = new BackupPlan(this, 'BackupPlan', {
        backupVault: vault,
        backupPlanRules: [
          new BackupPlanRule({
            ruleName: 'Daily',
            scheduleExpression: Schedule.cron({ hour: '2', minute: '0' }),
            deleteAfter: Duration.days(config.backup.retentionDays),
          }),
          new BackupPlanRule({
            ruleName: 'Monthly',
            scheduleExpression: Schedule.cron({ day: '1', hour: '3', minute: '0' }),
            deleteAfter: Duration.days(365),
          }),
        ],
      });
      const selection = this.backupPlan.addSelection('Table', {
        resources: [BackupResource.fromDynamoDbTable(this.table)],
      });
      Validations.of(selection).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'The role AWS Backup assumes for this one selection (the table): the service-role policy is the one AWS Backup documents and maintains as its API surface changes; the role is trusted by backup.amazonaws.com only.',
      });
    }

    for (const index of tableSchema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * Control Tower, HIPAA and NIST findings on the upload bucket accepted by design: it holds short-lived
   * copies of identity documents (trade-register extracts) that the law says to delete, not to keep.
   */
  private acknowledgeUploadControls(): void {
    const bucket = this.uploadBucket;
    const noServerLogs =
      'No server access log bucket: every object is reached only through presigned URLs the organisations ' +
      'API issues and logs behind API Gateway access logs; object-level audit is CloudTrail S3 data events, ' +
      'enabled by the operator (docs/operations.md).';
    acknowledgeControl(bucket, 'CT.S3.PR.2', noServerLogs);
    acknowledgeHealthcarePacks(bucket, 'S3BucketLoggingEnabled', noServerLogs);
    const storageLimitation =
      'Uploads are short-lived copies of identity documents deleted by the lifecycle rules (unused after 1 ' +
      'day, discarded after 30); versions, object lock or replicas would keep deleted copies beyond those ' +
      'limits, against GDPR storage limitation. The table is the record and is backed up.';
    acknowledgeControl(bucket, 'CT.S3.PR.9', storageLimitation);
    acknowledgeControl(bucket, 'CT.S3.PR.11', storageLimitation);
    acknowledgeHealthcarePacks(bucket, 'S3BucketVersioningEnabled', storageLimitation);
    acknowledgeHealthcarePacks(bucket, 'S3BucketReplicationEnabled', storageLimitation);
    acknowledgeControl(
      bucket,
      'CT.S3.PR.4',
      'Nothing reacts to object events: the organisations API checks each upload (size, type, digest) when ' +
        'a registration attaches it, so a notification would have no consumer.',
    );
  }
}

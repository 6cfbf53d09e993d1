import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { Identity } from '../constructs/identity.ts';

/** Properties of the {@link AccessStack}. */
export interface AccessStackProps extends StackProps {
  readonly config: StageConfig;
  /** The single table, from the data stack. */
  readonly table: ITable;
  /** The table's customer-managed key, from the data stack. */
  readonly tableKey: IKey;
}

/**
 * The stateless side: Cognito and its triggers now; the API and the approval workflows join here,
 * each as a construct that receives `identity.userPool`, `table` and `tableKey`.
 */
export class AccessStack extends Stack {
  readonly identity: Identity;
  readonly table: ITable;
  readonly tableKey: IKey;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    this.table = props.table;
    this.tableKey = props.tableKey;
    this.identity = new Identity(this, 'Identity', {
      config: props.config,
      table: props.table,
      tableKey: props.tableKey,
    });
  }
}

import { fileURLToPath } from 'node:url';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { identityRoutes } from '#identity/api/routes';
import type { RouteHandler } from '#shared/http/handler';
import type { Api } from './api.ts';
import { ServiceFunction, type TableAction } from './service-function.ts';

/**
 * What the identity API function does on the table, and nothing more: GetItem (profile INSZ,
 * register entry, attempt counter), Query (the person partition for `GET /me`), PutItem (INSZ link
 * marker in the linking transaction, a new attempt window) and UpdateItem (profile `insz` in the
 * transaction, attempt count). No ConditionCheckItem: the transaction's conditions sit on its Put
 * and Update. Get/Put/Update and DeleteItem also serve the `Idempotency-Key` records of
 * `POST /me/insz` (Delete removes the in-progress record of a refused request).
 */
export const IDENTITY_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/** Properties of {@link IdentityApi}. */
export interface IdentityApiProps {
  readonly table: ITable;
  /** The table's customer-managed key. */
  readonly tableKey: IKey;
  readonly logRetention: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * The API to add the identity routes to.
   * @default - none: the caller adds `routes` to an API with `api.addRoutes(apiFunction.function, routes)`
   */
  readonly api?: Api;
}

/** The identity context's API function (`GET /me`, `POST /me/insz`) with its table grants. */
export class IdentityApi extends Construct {
  /** The function serving every identity route. */
  readonly apiFunction: ServiceFunction;
  /** The identity routes, for `Api.addRoutes`. */
  readonly routes: readonly RouteHandler[] = identityRoutes;

  constructor(scope: Construct, id: string, props: IdentityApiProps) {
    super(scope, id);
    this.apiFunction = new ServiceFunction(this, 'Function', {
      entry: fileURLToPath(new URL('../../lambdas/identity/api/handler.ts', import.meta.url)),
      serviceName: 'identity',
      description: 'Identity API: GET /me, POST /me/insz',
      logRetention: props.logRetention,
      ...(props.logRemovalPolicy ? { logRemovalPolicy: props.logRemovalPolicy } : {}),
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    }).bindTable(props.table, props.tableKey, IDENTITY_API_TABLE_ACTIONS);
    props.api?.addRoutes(this.apiFunction.function, this.routes);
  }
}

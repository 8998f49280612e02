import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEMO_TARGET_TABLE } from '../definitions';
import { tableKeysFrom } from './tableKeys';

export interface TargetTablesProps {
  /** Existing DynamoDB tables, by name, that runs may write derived items to. */
  readonly tableNames: readonly string[];
  /**
   * Create a table with this name from `DEMO_TARGET_TABLE` for a demo deployment, instead of
   * importing it (it is a target whether or not it is also in `tableNames`). It is destroyed with
   * the stack: it holds demo data only.
   * @default - no table is created; every target already exists
   */
  readonly demoTableName?: string;
}

/**
 * The tables runs write to. They belong to their owners, so they are referenced by name and
 * never created here (except the optional demo table).
 */
export class TargetTables extends Construct {
  /** Every target table, the demo table (if any) first. */
  readonly tables: readonly dynamodb.ITable[];
  /** The demo target table, when `demoTableName` was given. */
  readonly demoTable?: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: TargetTablesProps) {
    super(scope, id);
    const tables: dynamodb.ITable[] = [];
    if (props.demoTableName !== undefined) {
      this.demoTable = new dynamodb.Table(this, 'DemoTable', {
        tableName: props.demoTableName,
        ...tableKeysFrom(DEMO_TARGET_TABLE),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      tables.push(this.demoTable);
    }
    for (const name of props.tableNames) {
      if (name !== props.demoTableName) tables.push(dynamodb.Table.fromTableName(this, `Target-${name}`, name));
    }
    this.tables = tables;
  }

  /**
   * Lets `grantee` read pre-images and write derived items to every target table: GetItem,
   * BatchGetItem, PutItem, UpdateItem (writes are conditional on the version attribute).
   */
  grantBackfillWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: this.tables.map((t) => t.tableArn),
    });
  }

  /**
   * Lets `grantee` read items as they are now and put back or delete what a run wrote on every
   * target table: GetItem, BatchGetItem, PutItem, DeleteItem (each write conditional on the run's
   * stamp and version). Only the rollback's restore function needs DeleteItem.
   */
  grantRollbackRestore(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resourceArns: this.tables.map((t) => t.tableArn),
    });
  }
}

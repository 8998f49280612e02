import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LEDGER_TABLE } from '../definitions';
import { tableKeysFrom } from './tableKeys';

export interface LedgerProps {
  /**
   * Whether CloudFormation refuses to delete the table.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN - the ledger is the audit trail and the only record of what a run wrote
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The control table: run records, batch records with their leases and snapshots, audit events,
 * breaker state and approvals. Keys come from `LEDGER_TABLE` (shared with the local runtime).
 * On-demand capacity, point-in-time recovery on.
 */
export class Ledger extends Construct {
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: LedgerProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      ...tableKeysFrom(LEDGER_TABLE),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `grantee` read, create and conditionally update single ledger items (GetItem, PutItem,
   * UpdateItem; BatchGetItem: the gate reads the run and the breaker in one request).
   */
  grantItemReadWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
    });
  }

  /** Lets `grantee` query the ledger (e.g. every batch record of a run). */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.table.tableArn] });
  }
}

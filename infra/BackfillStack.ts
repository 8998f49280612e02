import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { packageVersion } from './config';
import {
  AccessLogsBucket,
  ArtifactStore,
  HandlerFunctions,
  Ledger,
  SourceBuckets,
  TargetTables,
  Workflow,
} from './constructs';
import { LOCAL_NAMES } from './definitions';

export interface BackfillStackProps extends StackProps {
  /** Existing DynamoDB tables, by name, that runs may write to. */
  readonly targetTableNames: readonly string[];
  /**
   * Existing S3 buckets, by name, that runs may read source records from, besides the stack's own source bucket.
   * @default - only the stack's own source bucket
   */
  readonly extraSourceBucketNames?: readonly string[];
  /**
   * Create the demo target table (`order-summaries`, keys from `DEMO_TARGET_TABLE`) instead of expecting it to exist.
   * @default false
   */
  readonly createDemoTargetTable?: boolean;
  /**
   * The code version pinned on every run record.
   * @default - the version in package.json
   */
  readonly codeVersion?: string;
  /**
   * How long snapshots are kept (current and noncurrent versions): the window in which a run can be rolled back.
   * @default 35
   */
  readonly snapshotRetentionDays?: number;
}

/** The backfill orchestrator: buckets, ledger, target table grants, the backfill and rollback functions and state machines. */
export class BackfillStack extends Stack {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
  /** Every Lambda function, one per row of the handler registry (lambdas/handlers.ts). */
  readonly functions: HandlerFunctions;
  readonly backfill: Workflow;
  readonly rollback: Workflow;

  constructor(scope: Construct, id: string, props: BackfillStackProps) {
    super(scope, id, props);
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    this.artifacts = new ArtifactStore(this, 'Artifacts', { accessLogsBucket: accessLogs.bucket, snapshotRetentionDays: props.snapshotRetentionDays });
    this.sources = new SourceBuckets(this, 'Sources', { accessLogsBucket: accessLogs.bucket, extraBucketNames: props.extraSourceBucketNames });
    this.ledger = new Ledger(this, 'Ledger');
    this.targets = new TargetTables(this, 'Targets', {
      tableNames: props.targetTableNames,
      demoTableName: props.createDemoTargetTable ? LOCAL_NAMES.demoTargetTable : undefined,
    });
    this.functions = new HandlerFunctions(this, 'Functions', {
      ledger: this.ledger,
      artifacts: this.artifacts,
      sources: this.sources,
      targets: this.targets,
      codeVersion: props.codeVersion ?? packageVersion(),
    });
    this.backfill = new Workflow(this, 'Backfill', { workflow: 'backfill', functions: this.functions, artifacts: this.artifacts });
    this.rollback = new Workflow(this, 'Rollback', { workflow: 'rollback', functions: this.functions, artifacts: this.artifacts });

    new CfnOutput(this, 'StateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
    new CfnOutput(this, 'RollbackStateMachineArn', { value: this.rollback.stateMachine.stateMachineArn });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledger.table.tableName });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifacts.bucket.bucketName });
    new CfnOutput(this, 'SourceBucketName', { value: this.sources.bucket.bucketName });
  }
}

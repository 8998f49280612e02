import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { packageVersion } from './config';
import {
  AccessLogsBucket,
  ArtifactStore,
  BackfillFunctions,
  BackfillStateMachine,
  Ledger,
  RollbackFunctions,
  RollbackStateMachine,
  SourceBuckets,
  TargetTables,
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
  readonly functions: BackfillFunctions;
  readonly backfill: BackfillStateMachine;
  readonly rollbackFunctions: RollbackFunctions;
  readonly rollback: RollbackStateMachine;

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
    this.functions = new BackfillFunctions(this, 'Functions', {
      ledger: this.ledger,
      artifacts: this.artifacts,
      sources: this.sources,
      targets: this.targets,
      codeVersion: props.codeVersion ?? packageVersion(),
    });
    this.backfill = new BackfillStateMachine(this, 'Backfill', { functions: this.functions, artifacts: this.artifacts });
    this.rollbackFunctions = new RollbackFunctions(this, 'RollbackFunctions', {
      ledger: this.ledger,
      artifacts: this.artifacts,
      targets: this.targets,
      codeVersion: props.codeVersion ?? packageVersion(),
    });
    this.rollback = new RollbackStateMachine(this, 'Rollback', { functions: this.rollbackFunctions, artifacts: this.artifacts });

    new CfnOutput(this, 'StateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
    new CfnOutput(this, 'RollbackStateMachineArn', { value: this.rollback.stateMachine.stateMachineArn });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledger.table.tableName });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifacts.bucket.bucketName });
    new CfnOutput(this, 'SourceBucketName', { value: this.sources.bucket.bucketName });
  }
}

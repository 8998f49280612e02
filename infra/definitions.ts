/**
 * Table definitions shared by the CDK stack and the local runtime, so that the tables created on
 * the emulators are the ones the stack deploys (a test compares them with the synthesized template).
 * Plain data: no CDK import, so Lambda and local code can load it cheaply.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** The control table: run records, batch records, audit events (all under pk = RUN#<runId>). */
export const LEDGER_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
};

/** The demo's target table (order summaries); on AWS the target table is the user's own. */
export const DEMO_TARGET_TABLE: TableDefinition = {
  partitionKey: { name: 'orderId', type: 'S' },
};

/** Default names the local runtime uses for its tables and buckets. */
export const LOCAL_NAMES = {
  ledgerTable: 'backfill-ledger',
  artifactsBucket: 'backfill-artifacts',
  sourceBucket: 'backfill-source',
  demoTargetTable: 'order-summaries',
} as const;

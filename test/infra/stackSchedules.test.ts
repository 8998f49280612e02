import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { REPO_ROOT } from '../../infra/paths';
import { exampleSchedules } from './support/exampleSchedules';
import { permissionLines, resolveValue, rolePermissions } from './support/iamPolicy';
import { cdkJsonContext, synthBackfillStack } from './support/synthBackfillStack';

// GIVEN the stack with the two example schedules
const { stack, json, template } = synthBackfillStack({ schedules: exampleSchedules() });
const resolved = (token: string) => resolveValue(json, stack.resolve(token));
const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
const schedules = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');

describe('the stack\'s schedules', () => {
  it('are one schedule per configured entry, in one group', () => {
    expect(schedules.map((s) => s.Properties?.Name)).toEqual(['nightly-orders', 'hourly-orders']);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('start the stack\'s backfill state machine, and its role may start nothing else', () => {
    const backfill = resolved(stack.backfill.stateMachine.stateMachineArn);
    for (const schedule of schedules) {
      const target = schedule.Properties?.Target as { Input: unknown; RoleArn: { 'Fn::GetAtt': [string, string] } };
      expect((JSON.parse(resolveValue(json, target.Input)) as { StateMachineArn: string }).StateMachineArn).toBe(backfill);
      const states = permissionLines(rolePermissions(json, target.RoleArn['Fn::GetAtt'][0])).filter((line) => line.startsWith('states:'));
      expect(states).toEqual([`states:StartExecution ${backfill}`]);
    }
  });

  it('output the schedule group\'s name for the CLI', () => {
    template.hasOutput('ScheduleGroupName', { Value: json.Resources[logicalId(stack.schedules!.group)]!.Properties!.Name });
  });
});

describe('a schedule whose spec writes a table the stack may not write', () => {
  it('fails synth, naming the schedule, its spec file and the table', () => {
    expect(() => synthBackfillStack({ targetTableNames: ['customer-totals'], schedules: exampleSchedules() })).toThrow(
      'schedules[0] "nightly-orders".specFile: examples/orders-spec.json writes the table "order-summaries", which the stack may not write (targetTableNames: customer-totals); add the table to targetTableNames or fix spec.target.tableName',
    );
  });

  it('is accepted when the table is the demo table the stack creates', () => {
    expect(() => synthBackfillStack({ targetTableNames: ['customer-totals'], createDemoTargetTable: true, schedules: exampleSchedules() })).not.toThrow();
  });
});

describe('cdk synth (infra/app.ts) with a bad schedule', () => {
  // The CDK CLI hands cdk.json's context to the app in CDK_CONTEXT_JSON; the settings are read
  // before any stack is built, so a bad schedule fails in about a second, bundling nothing.
  const synth = async (schedules: unknown) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    try {
      await promisify(execFile)('bash', ['scripts/node22.sh', '--import', 'tsx', 'infra/app.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), schedules }) },
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };

  it('fails naming the schedule and the fields at fault: a spec the spec schema refuses, a bad expression, a duplicate name', async () => {
    // WHEN
    const { code, stderr } = await synth([
      { name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', specFile: 'package.json' },
      { name: 'hourly-orders', expression: 'rate(1 hours)', specFile: 'examples/orders-spec.json' },
      { name: 'nightly-orders', expression: 'rate(1 day)', specFile: 'examples/orders-spec.json' },
    ]);
    // THEN
    expect(code).not.toBe(0);
    expect(stderr).toContain('InvalidSchedulesError: schedules is invalid (3 problems)');
    expect(stderr).toContain('schedules[0] "nightly-orders".specFile: package.json is not a valid spec: spec.jobName: is required');
    expect(stderr).toContain('schedules[1] "hourly-orders".expression: must be rate(N minutes|hours|days)');
    expect(stderr).toContain('(a rate of 1 takes the singular unit, any other the plural), got "rate(1 hours)"');
    expect(stderr).toContain('schedules[2] "nightly-orders".name: is also the name of schedules[0]; schedule names must be unique');
  }, 60_000);
});

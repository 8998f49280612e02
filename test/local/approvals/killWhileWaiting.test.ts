import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../../lambdas/lib/run';
import { decideThroughLink } from '../../../local/approvals/decideThroughLink';
import { runCli, startCli, waitUntil, type StartedCli } from '../cli/runCli';
import { stagedSpec } from './stagedRun';

jest.setTimeout(420_000);

const RECORDS = '2000';
const LINK = /approval link \(demo-approver@example\.com\): (\S+)/g;
const links = (stderr: string): string[] => [...stderr.matchAll(LINK)].map((match) => match[1]!);

describe('npm start killed while the run waits for approval, then started again', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-approval-kill-'));
  const specFile = join(work, 'spec.json');
  const seededDir = join(work, 'seeded');
  const args = (dir: string, approval: 'auto' | 'manual') => ['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--approval', approval, '--json'];
  const seededCopy = (name: string) => {
    const dir = join(work, name);
    cpSync(seededDir, dir, { recursive: true });
    return dir;
  };
  const children: StartedCli[] = [];
  const started = (dir: string, approval: 'auto' | 'manual') => {
    const cli = startCli(args(dir, approval));
    children.push(cli);
    return cli;
  };
  afterAll(async () => {
    // A failed expectation must not leave a run waiting for its approver.
    for (const cli of children) cli.child.kill('SIGKILL');
    await Promise.all(children.map((cli) => cli.done));
    rmSync(work, { recursive: true, force: true });
  });

  beforeAll(async () => {
    writeFileSync(specFile, JSON.stringify(stagedSpec({ leaseSeconds: 600 })));
    expect((await runCli(['--data-dir', seededDir, '--records', RECORDS, '--seed-only'])).code).toBe(0);
  });

  it('waits again for the same approval (the same link); approved, it ends identical to an uninterrupted run', async () => {
    // GIVEN an uninterrupted run, approved unattended, in its own data dir
    const referenceDir = seededCopy('reference');
    const reference = await runCli(args(referenceDir, 'auto'));
    // On a failure the message carries the run's stderr (a matched object would hide it).
    expect(`exit ${reference.code}${reference.code === 0 ? '' : `: ${reference.stderr}`}`).toBe('exit 0');
    const referenceReport = JSON.parse(reference.stdout) as RunReport;
    const referenceDump = (await runCli(['--data-dir', referenceDir, '--dump', 'order-summaries'])).stdout;

    // WHEN another run waits for its approver (manual) and is killed with SIGKILL while it waits
    const dir = seededCopy('killed');
    const first = started(dir, 'manual');
    await waitUntil(() => links(first.stderrSoFar()).length === 1, 'the approval link', first.done, 240_000);
    const [firstLink] = links(first.stderrSoFar());
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(readdirSync(join(dir, 'outbox'))).toHaveLength(1);

    // AND the same command runs again
    const second = started(dir, 'manual');
    await waitUntil(() => links(second.stderrSoFar()).length === 1, 'the approval link again', second.done, 240_000);
    // THEN it resumed the run and waits for the same approval: the same link, sent again as a reminder
    expect(second.stderrSoFar()).toMatch(/resuming run/);
    expect(links(second.stderrSoFar())).toEqual([firstLink]);
    expect(readdirSync(join(dir, 'outbox'))).toHaveLength(2);

    // WHEN the approver uses the link from before the kill
    await decideThroughLink(firstLink!, { decision: 'approve', comment: 'after the restart', userAgent: 'test-approver' });
    const resumed = await second.done;
    // THEN the run ends as the uninterrupted one did: same report but for timings and starts, same table
    expect({ code: resumed.code, stderr: resumed.code === 0 ? '' : resumed.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(resumed.stdout) as RunReport;
    expect(report.starts).toBe(2);
    const comparable = ({ startedAt, finishedAt, starts, elapsedMs, recordsPerSecond, maxStatePayloadBytes, maxStatePayloadAt, stateTransitions, childExecutions, resumedFromEarlierProcess, ...rest }: Record<string, unknown>) => rest;
    expect(comparable(report as unknown as Record<string, unknown>)).toEqual(comparable(referenceReport as unknown as Record<string, unknown>));
    expect((await runCli(['--data-dir', dir, '--dump', 'order-summaries'])).stdout).toBe(referenceDump);
    expect(existsSync(join(dir, 'approval-signing-key'))).toBe(true);
  });
});

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { getRun, listAudit, listBatches, listStages } from '../../../lambdas/lib/ledger';
import { approvalMessage, startStagedCloud, startStagedRun, stagedSpec } from './stagedRun';

jest.setTimeout(300_000);

/** Debian's chromium (.ci/run installs it); playwright-core drives it, nothing is downloaded. */
const CHROMIUM = process.env.BACKFILL_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', '..', 'docs', 'approval-page.png');

describe('the approval page in a real browser (chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set BACKFILL_CHROMIUM`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(() => browser?.close());

  it('approve: the link opens the evidence page, Approve releases the run, which writes the waves and SUCCEEDS', async () => {
    // GIVEN a staged run of the demo waiting for its approver after the canary
    const staged = await startStagedCloud({ records: 2000 });
    try {
      const runId = 'browser-approve';
      const executionArn = await startStagedRun(staged, stagedSpec(), runId);
      const message = await approvalMessage(staged, executionArn);
      expect(message.approver).toBe('demo-approver@example.com');
      // WHEN the approver opens the link
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const opened = await page.goto(message.link);
      // THEN the page shows the run, the canary's evidence and the decision form
      expect(opened?.status()).toBe(200);
      expect(await page.title()).toBe(`Approve stage canary of run ${runId}?`);
      const evidence = await page.locator('#evidence').innerText();
      expect(evidence).toMatch(/canary/i);
      expect(evidence).toMatch(/written/i);
      expect(await page.locator('#quorum').innerText()).toContain('Approved by 0 of the 1 needed');
      if (process.env.BACKFILL_UPDATE_SCREENSHOT === '1') {
        mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      }
      // WHEN they comment and click Approve
      await page.fill('#comment', 'canary looks right');
      await Promise.all([page.waitForURL(/\/approvals\/[^?]+$/), page.click('button[name="decision"][value="approve"]')]);
      // THEN the page says the run goes on, and it does: SUCCEEDED with every stage passed
      expect(await page.locator('h1').innerText()).toBe('Approved: the run goes on');
      const outcome = await staged.cloud.stepFunctions.waitForExecution(executionArn);
      expect(outcome).toMatchObject({ status: 'SUCCEEDED' });
      const { deps } = staged.cloud.env;
      expect(await getRun(deps, runId)).toMatchObject({ status: 'SUCCEEDED' });
      expect((await listStages(deps, runId)).map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
      const run = await getRun(deps, runId);
      expect(await listBatches(deps, runId)).toHaveLength(run!.batchCount!);
      // AND the decision is audited as the browser's, with its comment
      const decided = (await listAudit(deps, runId)).filter((e) => e.type === 'ApprovalDecisionRecorded');
      expect(decided).toEqual([expect.objectContaining({ actor: 'demo-approver@example.com', detail: expect.objectContaining({ comment: 'canary looks right', userAgent: expect.stringContaining('HeadlessChrome') }) })]);
    } finally {
      await staged.close();
    }
  });

  it('reject: Reject with a comment ends the run REJECTED with only the canary written', async () => {
    const staged = await startStagedCloud({ records: 2000 });
    try {
      const runId = 'browser-reject';
      const executionArn = await startStagedRun(staged, stagedSpec(), runId);
      const message = await approvalMessage(staged, executionArn);
      const page = await browser.newPage();
      await page.goto(message.link);
      await page.fill('#comment', 'totals look off');
      await Promise.all([page.waitForURL(/\/approvals\/[^?]+$/), page.click('button[name="decision"][value="reject"]')]);
      expect(await page.locator('h1').innerText()).toBe('Rejected: the run stops');
      const outcome = await staged.cloud.stepFunctions.waitForExecution(executionArn);
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
      const { deps } = staged.cloud.env;
      expect(await getRun(deps, runId)).toMatchObject({ status: 'REJECTED' });
      const stages = await listStages(deps, runId);
      expect(stages.map((s) => [s.name, s.status])).toEqual([['canary', 'REJECTED']]);
      // THEN only the canary's batch was written
      const batches = await listBatches(deps, runId);
      expect(batches).toHaveLength(1);
      expect(batches.map((b) => b.status)).toEqual(['DONE']);
    } finally {
      await staged.close();
    }
  });
});

import { InvalidSpecError, parseSpec, specHash } from '../../../../lambdas/lib/spec';
import { exampleSpecInput } from '../../fixtures/specs';

type Input = Record<string, unknown>;

/** The example spec (examples/orders-spec.json) with the given top-level fields added or replaced. */
const specWith = (fields: Input): Input => ({ ...exampleSpecInput(), ...fields });

const rollout = { canary: { batches: 2 }, waves: [25, 100] };
const validation = { expectedChangePercent: { min: 5, max: 60 }, golden: 's3://backfill-golden/orders/golden.jsonl', sampleSize: 20 };
const approval = { approvers: ['alice@example.com', 'bob@example.com'], quorum: 2, timeoutSeconds: 86_400, preventSelfApproval: true, onRejection: 'rollback-canary' };

/** The problem lines (`  - field: message`) of the InvalidSpecError that parsing `input` throws. */
function problemLinesOf(input: Input): string[] {
  let thrown: unknown;
  try {
    parseSpec(input);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidSpecError);
  return (thrown as InvalidSpecError).problems.map((p) => `${p.field}: ${p.message}`);
}

describe('the staged-rollout spec fields (rollout, validation, approval)', () => {
  describe('without them a spec is unchanged', () => {
    it('parses the example spec with no rollout, validation or approval key and its known hash (the runId in the README)', () => {
      const spec = parseSpec(exampleSpecInput());
      expect(['rollout', 'validation', 'approval'].filter((key) => key in spec)).toEqual([]);
      expect(specHash(spec)).toBe('edc284f25c1d26b85e5bfc6efc0af85d58d46704cffc9db6308df8751642134d');
    });
  });

  describe('accepts them as the issue writes them', () => {
    it('keeps every given value and fills in only the defaults inside a given field', () => {
      const spec = parseSpec(specWith({ rollout, validation: { golden: validation.golden }, approval: { approvers: ['alice@example.com'] } }));
      expect(spec.rollout).toEqual(rollout);
      expect(spec.validation).toEqual({ golden: validation.golden, sampleSize: 20 });
      expect(spec.approval).toEqual({ approvers: ['alice@example.com'], quorum: 1, timeoutSeconds: 86_400, preventSelfApproval: true, onRejection: 'keep-canary' });
    });

    it('accepts a canary as a percent, a full validation and approval, and changes the hash', () => {
      const spec = parseSpec(specWith({ rollout: { canary: { percent: 1.5 }, waves: [10, 50, 100] }, validation, approval }));
      expect(spec.rollout).toEqual({ canary: { percent: 1.5 }, waves: [10, 50, 100] });
      expect(spec.validation).toEqual(validation);
      expect(spec.approval).toEqual(approval);
      expect(specHash(spec)).not.toBe(specHash(parseSpec(exampleSpecInput())));
    });

    it('accepts the limits: a single wave of 100, sampleSize 1 and 1000, timeoutSeconds 60 and 31,536,000, 20 approvers with quorum 20', () => {
      const twenty = Array.from({ length: 20 }, (_, i) => `approver${i}@example.com`);
      for (const [sampleSize, timeoutSeconds] of [[1, 60], [1_000, 31_536_000]] as const) {
        expect(() => parseSpec(specWith({ rollout: { canary: { batches: 1 }, waves: [100] }, validation: { sampleSize }, approval: { approvers: twenty, quorum: 20, timeoutSeconds } }))).not.toThrow();
      }
    });

    it('accepts IAM principals and local identities as approvers next to email addresses (`backfill approve` decides as the caller)', () => {
      const approvers = ['alice@example.com', 'arn:aws:sts::123456789012:assumed-role/BackfillApprover/bob@example.com', 'arn:aws:iam::123456789012:user/ops/carol', 'local:dave'];
      expect(parseSpec(specWith({ rollout, approval: { approvers, quorum: 2 } })).approval?.approvers).toEqual(approvers);
    });

    it('accepts validation without a rollout (the whole run is the one stage)', () => {
      expect(parseSpec(specWith({ validation })).validation).toEqual(validation);
    });
  });

  describe('refuses a bad value with a problem naming the field, the value seen and the fix', () => {
    // [case, fields added to the example spec, the exact problem line expected]
    const cases: Array<[string, Input, string]> = [
      ['a canary with neither size', { rollout: { canary: {}, waves: [100] } }, 'spec.rollout.canary: is missing its size; set exactly one: { "batches": N } or { "percent": P }'],
      ['a canary with both sizes', { rollout: { canary: { batches: 1, percent: 5 }, waves: [100] } }, 'spec.rollout.canary: gives both batches and percent; set exactly one: { "batches": N } or { "percent": P }'],
      ['a canary of 0 batches', { rollout: { canary: { batches: 0 }, waves: [100] } }, 'spec.rollout.canary.batches: must be at least 1, got number 0'],
      ['a canary of 1.5 batches', { rollout: { canary: { batches: 1.5 }, waves: [100] } }, 'spec.rollout.canary.batches: must be a whole number from 1 to 10000, got number 1.5'],
      ['a canary of 100 percent', { rollout: { canary: { percent: 100 }, waves: [100] } }, 'spec.rollout.canary.percent: must be below 100 (a canary of the whole plan leaves nothing to gate), got number 100'],
      ['a canary of 0 percent', { rollout: { canary: { percent: 0 }, waves: [100] } }, "spec.rollout.canary.percent: must be above 0 (% of the plan's batches), got number 0"],
      ['an unknown canary key', { rollout: { canary: { records: 10 }, waves: [100] } }, 'spec.rollout.canary.records: is not a known field; remove it or check its spelling'],
      ['no waves', { rollout: { canary: { batches: 1 } } }, 'spec.rollout.waves: must be a list of cumulative percentages ending at 100, e.g. [25, 100]'],
      ['an empty wave list', { rollout: { canary: { batches: 1 }, waves: [] } }, 'spec.rollout.waves: must list at least one wave, e.g. [100]'],
      ['waves not strictly increasing', { rollout: { canary: { batches: 1 }, waves: [50, 50, 100] } }, 'spec.rollout.waves.1: must be above the wave before it (50): waves are cumulative %, strictly increasing, got number 50'],
      ['waves not ending at 100', { rollout: { canary: { batches: 1 }, waves: [25, 90] } }, 'spec.rollout.waves.1: must be 100: the last wave writes the rest of the plan, got number 90'],
      ['a wave above 100', { rollout: { canary: { batches: 1 }, waves: [25, 150] } }, "spec.rollout.waves.1: must be at most 100 (% of the plan's batches), got number 150"],
      ['a wave given as a string', { rollout: { canary: { batches: 1 }, waves: ['25', 100] } }, "spec.rollout.waves.0: must be a number above 0 and at most 100 (% of the plan's batches), got \"25\""],
      ['a first wave not above the canary percent', { rollout: { canary: { percent: 30 }, waves: [25, 100] } }, "spec.rollout.waves.0: must be above the canary's percent (30): waves are cumulative and include the canary, got number 25"],
      ['a change band with min above max', { validation: { expectedChangePercent: { min: 60, max: 5 } } }, 'spec.validation.expectedChangePercent.max: must not be below min (60), got number 5'],
      ['a change band above 100', { validation: { expectedChangePercent: { min: 0, max: 101 } } }, 'spec.validation.expectedChangePercent.max: must be at most 100, got number 101'],
      ['a change band without min', { validation: { expectedChangePercent: { max: 50 } } }, 'spec.validation.expectedChangePercent.min: must be a number from 0 to 100'],
      ['a golden that is no s3:// URI', { validation: { golden: 'golden.jsonl' } }, 'spec.validation.golden: must be an s3:// URI with a bucket and a key, e.g. "s3://my-bucket/golden/orders.jsonl", got "golden.jsonl"'],
      ['a golden URI without a key', { validation: { golden: 's3://backfill-golden/' } }, 'spec.validation.golden: must be an s3:// URI with a bucket and a key, e.g. "s3://my-bucket/golden/orders.jsonl", got "s3://backfill-golden/"'],
      ['a golden URI with a bad bucket', { validation: { golden: 's3://Golden/g.jsonl' } }, 'spec.validation.golden: names a bucket that must not contain capital letters (S3 bucket names are 3–63 of a-z 0-9 . - and begin and end with a letter or digit), got "s3://Golden/g.jsonl"'],
      ['a sampleSize of 0', { validation: { sampleSize: 0 } }, 'spec.validation.sampleSize: must be at least 1, got number 0'],
      ['a sampleSize above 1000', { validation: { sampleSize: 1_001 } }, 'spec.validation.sampleSize: must be at most 1000, got number 1001'],
      ['no approvers', { rollout, approval: { approvers: [] } }, 'spec.approval.approvers: must name at least one approver'],
      ['21 approvers', { rollout, approval: { approvers: Array.from({ length: 21 }, (_, i) => `a${i}@example.com`) } }, 'spec.approval.approvers: must name at most 20 approvers'],
      ['an approver that is no email', { rollout, approval: { approvers: ['alice'] } }, 'spec.approval.approvers.0: must be an email address ("alice@example.com"), an IAM user or assumed-role session ARN ("arn:aws:sts::123456789012:assumed-role/Approver/alice"), or a local identity ("local:alice"), got "alice"'],
      ['an approver that is a role, not a session', { rollout, approval: { approvers: ['arn:aws:iam::123456789012:role/Approver'] } }, 'spec.approval.approvers.0: must be an email address ("alice@example.com"), an IAM user or assumed-role session ARN ("arn:aws:sts::123456789012:assumed-role/Approver/alice"), or a local identity ("local:alice"), got "arn:aws:iam::123456789012:role/Approver"'],
      ['the same approver twice (in another case)', { rollout, approval: { approvers: ['alice@example.com', 'Alice@Example.com'] } }, 'spec.approval.approvers.1: repeats approvers[0]; list each approver once, got "Alice@Example.com"'],
      ['one person under two SSO roles', { rollout, approval: { approvers: ['arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Operator_x/alice@example.com', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_y/Alice@example.com'] } }, 'spec.approval.approvers.1: names the same person as approvers[0] (alice@example.com); one person counts once towards the quorum, list each person once, got "arn:aws:sts::123456789012:assumed-role/A…"'],
      ['an email and a session named by it', { rollout, approval: { approvers: ['alice@example.com', 'arn:aws:sts::123456789012:assumed-role/BackfillApprover/alice@example.com'] } }, 'spec.approval.approvers.1: names the same person as approvers[0] (alice@example.com); one person counts once towards the quorum, list each person once, got "arn:aws:sts::123456789012:assumed-role/B…"'],
      ['an IAM user and a local identity of one name', { rollout, approval: { approvers: ['arn:aws:iam::123456789012:user/ops/carol', 'local:carol'] } }, 'spec.approval.approvers.1: names the same person as approvers[0] (carol); one person counts once towards the quorum, list each person once, got "local:carol"'],
      ['a quorum above the approvers', { rollout, approval: { approvers: ['alice@example.com'], quorum: 2 } }, 'spec.approval.quorum: must not be above the number of approvers (1); lower quorum or add approvers, got number 2'],
      ['a quorum of 0', { rollout, approval: { approvers: ['alice@example.com'], quorum: 0 } }, 'spec.approval.quorum: must be at least 1, got number 0'],
      ['a timeout below 60 s', { rollout, approval: { approvers: ['alice@example.com'], timeoutSeconds: 59 } }, 'spec.approval.timeoutSeconds: must be at least 60, got number 59'],
      ['a timeout above a year', { rollout, approval: { approvers: ['alice@example.com'], timeoutSeconds: 31_536_001 } }, 'spec.approval.timeoutSeconds: must be at most 31536000, got number 31536001'],
      ['a preventSelfApproval that is not a boolean', { rollout, approval: { approvers: ['alice@example.com'], preventSelfApproval: 'yes' } }, 'spec.approval.preventSelfApproval: must be true or false, got "yes"'],
      ['a wrong onRejection', { rollout, approval: { approvers: ['alice@example.com'], onRejection: 'rollback' } }, 'spec.approval.onRejection: must be "keep-canary" or "rollback-canary", got "rollback"'],
      ['an approval without a rollout', { approval: { approvers: ['alice@example.com'] } }, 'spec.approval: needs a rollout: approval releases the waves after the canary; add "rollout" or remove "approval"'],
    ];

    it.each(cases)('%s', (_name, fields, expected) => {
      expect(problemLinesOf(specWith(fields))).toEqual([expected]);
    });

    it('names a problem in each field at once', () => {
      const lines = problemLinesOf(specWith({ rollout: { canary: { batches: 0 }, waves: [100] }, validation: { sampleSize: 0 }, approval: { approvers: ['x'] }, batchSize: 0 }));
      expect(lines.map((line) => line.split(':')[0])).toEqual(['spec.batchSize', 'spec.rollout.canary.batches', 'spec.validation.sampleSize', 'spec.approval.approvers.0']);
    });
  });

  describe('in dry-run mode (evidence is produced, nothing is written)', () => {
    it('allows rollout and validation: each stage yields its evidence without a write', () => {
      const spec = parseSpec(specWith({ mode: 'dry-run', rollout, validation }));
      expect([spec.mode, spec.rollout, spec.validation]).toEqual(['dry-run', rollout, validation]);
    });

    it('refuses approval: nothing would be written, so there is nothing to sign off', () => {
      expect(problemLinesOf(specWith({ mode: 'dry-run', rollout, approval }))).toEqual([
        'spec.approval: is not allowed with mode "dry-run" (a dry-run writes nothing, so nothing waits for a sign-off); remove "approval" or set mode "apply"',
      ]);
    });
  });
});

import { z } from 'zod';

/**
 * An alarm state timestamp as CloudWatch writes it (`2019-10-02T17:04:40.989+0000`), as an ISO
 * string in UTC; anything unparseable is refused.
 */
const AlarmTimestampSchema = z.string().transform((text, ctx) => {
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/u, '$1:$2'));
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `is not a timestamp, got '${text}'` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

const AlarmStateSchema = z.object({
  value: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  reason: z.string(),
  /** JSON text: a metric alarm's evaluated datapoints, or a composite's `triggeringAlarms`. */
  reasonData: z.string().optional(),
  timestamp: AlarmTimestampSchema,
  actionsSuppressedBy: z.string().optional(),
  actionsSuppressedReason: z.string().optional(),
});

/** A composite alarm's `reasonData`: the children whose state made it change. */
const CompositeReasonDataSchema = z.object({
  triggeringAlarms: z.array(z.object({ arn: z.string().regex(/^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:.+$/u, 'must be an alarm ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)'), state: z.object({ value: z.string(), timestamp: z.string().optional() }) })),
});

/**
 * The EventBridge event CloudWatch sends when an alarm changes state (detail-type "CloudWatch Alarm
 * State Change", source "aws.cloudwatch"), as a rule's target receives it: a metric alarm
 * (`configuration.metrics`) or a composite alarm (`configuration.alarmRule`, its triggering children
 * in `state.reasonData`). Recorded samples: test/lambdas/fixtures/alarm-events/.
 */
export const AlarmStateChangeEventSchema = z
  .object({
    version: z.literal('0'),
    id: z.string().min(1),
    'detail-type': z.literal('CloudWatch Alarm State Change'),
    source: z.literal('aws.cloudwatch'),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    /** The alarm's ARN. */
    resources: z.array(z.string().startsWith('arn:aws', 'must be the alarm ARN (arn:aws…:cloudwatch:…:alarm:…)')).min(1),
    detail: z.object({
      alarmName: z.string().min(1),
      state: AlarmStateSchema,
      previousState: AlarmStateSchema.partial().optional(),
      configuration: z.looseObject({ alarmRule: z.string().optional(), metrics: z.array(z.unknown()).optional(), description: z.string().optional() }),
    }),
  })
  .transform((event, ctx) => {
    const composite = event.detail.configuration.alarmRule !== undefined;
    // Only an ALARM needs its children (they are what opened the breaker); an OK's are read when usable.
    const children = composite ? triggeringAlarmsOf(event.detail.state.reasonData, event.detail.state.value === 'ALARM' ? ctx : undefined) : [];
    return { ...event, composite, triggeringAlarms: children };
  });
export type AlarmStateChangeEvent = z.output<typeof AlarmStateChangeEventSchema>;

/**
 * The children in a composite's reasonData, each named by its ARN's last part. With `ctx` (an ALARM) a
 * missing or malformed one is an issue on `detail.state.reasonData`; without it (an OK) it is no children.
 */
function triggeringAlarmsOf(reasonData: string | undefined, ctx: z.RefinementCtx | undefined): Array<{ name: string; arn: string; state: string }> {
  const path = ['detail', 'state', 'reasonData'];
  let json: unknown;
  try {
    json = JSON.parse(reasonData ?? '');
  } catch {
    ctx?.addIssue({ code: 'custom', path, message: `must be the composite alarm's JSON with triggeringAlarms, got ${reasonData === undefined ? 'none' : `'${reasonData.slice(0, 80)}'`}` });
    return [];
  }
  const parsed = CompositeReasonDataSchema.safeParse(json);
  if (!parsed.success) {
    ctx?.addIssue({ code: 'custom', path, message: `must list triggeringAlarms [{ arn, state: { value } }]: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    return [];
  }
  return parsed.data.triggeringAlarms.map(({ arn, state }) => ({ name: arn.slice(arn.indexOf(':alarm:') + ':alarm:'.length), arn, state: state.value }));
}

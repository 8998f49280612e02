import type { AlarmDefinition } from '../../lambdas/lib/health';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
import { cloudWatchTimestamp, compositeAlarmEvent, localAlarmArn, metricAlarmEvent, type AlarmStateChangeEvent, type AlarmStateValue } from './alarmStateChangeEvent';
import { breakerAlarmRule } from './breakerAlarmRule';
import { AlarmDefinitionError, AlarmDeliveryError } from './errors';
import { anyChildInAlarmRule, evaluateComposite } from './evaluateComposite';
import { evaluateMetricAlarm } from './evaluateMetricAlarm';
import type { MetricStore } from './MetricStore';

export interface LocalAlarmsOptions {
  /** The stack's alarm definitions; the `source: 'emf'` ones are evaluated, the `aws` ones (AWS's own metrics) stay INSUFFICIENT_DATA. */
  readonly definitions: readonly AlarmDefinition[];
  /** The composite every definition is a child of (any child in ALARM). */
  readonly composite: { readonly alarmName: string; readonly description?: string };
  /** The captured EMF of the handlers. */
  readonly store: MetricStore;
  /** The clock the EMF is stamped with (the real one, unless a test stamps its own documents). */
  readonly clock: Clock;
  /** What the stack's breaker rule invokes (the `breaker` handler): the composite's ALARM and OK events. */
  readonly breaker: (event: AlarmStateChangeEvent) => Promise<unknown>;
  /** Every state change, of children and the composite, before the rule filters it (a log line). */
  readonly onStateChange?: (event: AlarmStateChangeEvent) => void;
  /** A change the breaker handler refused on every attempt, on the ticking timer. @default a line on stderr */
  readonly onDeliveryError?: (error: AlarmDeliveryError) => void;
}

interface Tracked {
  status: AlarmStateValue;
  sinceMs: number;
}

/** Attempts per event, as Lambda makes for an asynchronous invocation (EventBridge's): the first and 2 retries. */
const DELIVERY_ATTEMPTS = 3;
/** After a period ends, the tick waits this long so a flush stamped just before the boundary is in. */
const TICK_LAG_MS = 250;

const initialState = (atMs: number): Tracked => ({ status: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', timestamp: cloudWatchTimestamp(atMs) }, sinceMs: atMs });

/** Periods CloudWatch accepts: 10, 20, 30 s or a multiple of 60 s. */
function checkDefinition(definition: AlarmDefinition): void {
  const { alarmName, periodSeconds, evaluationPeriods: n, datapointsToAlarm: m } = definition;
  if (!([10, 20, 30].includes(periodSeconds) || (periodSeconds >= 60 && periodSeconds % 60 === 0))) throw new AlarmDefinitionError(alarmName, `periodSeconds must be 10, 20, 30 or a multiple of 60, got ${periodSeconds}`);
  if (!Number.isInteger(n) || n < 1) throw new AlarmDefinitionError(alarmName, `evaluationPeriods must be a whole number >= 1, got ${n}`);
  if (!Number.isInteger(m) || m < 1 || m > n) throw new AlarmDefinitionError(alarmName, `datapointsToAlarm must be 1..evaluationPeriods (${n}), got ${m}`);
}

/**
 * The local stand-in for CloudWatch alarms: evaluates the stack's metric alarms over the captured EMF
 * with CloudWatch's semantics (evaluateMetricAlarm), their composite (any child in ALARM), and sends
 * a "CloudWatch Alarm State Change" event for each change, children first; the composite's ALARM
 * and OK events reach the breaker handler as the stack's rule delivers them (breakerAlarmRule).
 * Every alarm starts INSUFFICIENT_DATA. `start()` evaluates after every period of the shortest alarm.
 * @throws AlarmDefinitionError when a definition is not one CloudWatch would accept
 * @example
 *   const alarms = new LocalAlarms({ definitions, composite: { alarmName: 'local-breaker' }, store, clock: systemClock, breaker: (e) => handler(e, ctx) });
 *   alarms.start();
 *   // ...
 *   await alarms.close();
 */
export class LocalAlarms {
  private readonly tracked = new Map<string, Tracked>();
  private readonly composite: Tracked;
  private readonly alarmRule: string;
  private readonly deliver: (event: AlarmStateChangeEvent) => Promise<boolean>;
  private evaluating: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LocalAlarmsOptions) {
    const names = new Set<string>();
    for (const definition of options.definitions) {
      checkDefinition(definition);
      if (names.has(definition.alarmName) || definition.alarmName === options.composite.alarmName) throw new AlarmDefinitionError(definition.alarmName, 'another alarm has this name');
      names.add(definition.alarmName);
      this.tracked.set(definition.alarmName, initialState(options.clock.nowMs()));
    }
    this.composite = initialState(options.clock.nowMs());
    this.alarmRule = anyChildInAlarmRule(options.definitions.map((d) => d.alarmName));
    this.deliver = breakerAlarmRule(localAlarmArn(options.composite.alarmName), options.breaker);
  }

  /** The metric alarms it evaluates (the stack's definitions it was given). */
  get definitions(): readonly AlarmDefinition[] {
    return this.options.definitions;
  }

  /** An alarm's current state (a child's or the composite's), by name. */
  state(alarmName: string): AlarmStateValue | undefined {
    return alarmName === this.options.composite.alarmName ? this.composite.status : this.tracked.get(alarmName)?.status;
  }

  /**
   * Evaluates every alarm at `atMs` and sends the changes; evaluations run one at a time, in order.
   * @returns the state change events of this evaluation, children first
   * @throws AlarmDeliveryError when the breaker handler refused an event on every attempt (the states stay changed, as on AWS)
   */
  evaluate(atMs: number = this.options.clock.nowMs()): Promise<AlarmStateChangeEvent[]> {
    const run = this.evaluating.catch(() => undefined).then(() => this.evaluateNow(atMs));
    this.evaluating = run;
    return run;
  }

  /** Evaluates now, then after the end of every period of the shortest alarm, on the clock, until close(). */
  start(): void {
    const emf = this.options.definitions.filter((d) => d.source === 'emf');
    if (emf.length === 0 || this.timer || this.closed) return;
    const tickMs = Math.min(...emf.map((d) => d.periodSeconds)) * 1_000;
    const tick = () => this.evaluate().catch((error: unknown) => (this.options.onDeliveryError ?? ((e) => process.stderr.write(`${e.message}\n`)))(error as AlarmDeliveryError));
    const schedule = () => {
      const now = this.options.clock.nowMs();
      const delay = Math.ceil((now + 1) / tickMs) * tickMs - now + TICK_LAG_MS;
      this.timer = setTimeout(() => {
        void tick();
        if (!this.closed) schedule();
      }, delay);
      this.timer.unref();
    };
    // The stack's alarms exist before any run: evaluated at once, they leave INSUFFICIENT_DATA before the first batch.
    void tick();
    schedule();
  }

  /** Stops ticking and waits for the evaluation in flight (its events delivered). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.evaluating.catch(() => undefined);
  }

  private async evaluateNow(atMs: number): Promise<AlarmStateChangeEvent[]> {
    const events: AlarmStateChangeEvent[] = [];
    const changedNow = new Set<string>();
    for (const definition of this.options.definitions) {
      if (definition.source !== 'emf') continue;
      const tracked = this.tracked.get(definition.alarmName)!;
      const next = evaluateMetricAlarm(definition, this.options.store, atMs, tracked.status.value);
      if (next === 'retain' || next.value === tracked.status.value) continue;
      events.push(metricAlarmEvent(definition, atMs, tracked.status, next));
      this.tracked.set(definition.alarmName, { status: next, sinceMs: atMs });
      changedNow.add(definition.alarmName);
    }
    const children = this.options.definitions.map((d) => ({ alarmName: d.alarmName, value: this.tracked.get(d.alarmName)!.status.value, sinceMs: this.tracked.get(d.alarmName)!.sinceMs, changedNow: changedNow.has(d.alarmName) }));
    const composite = evaluateComposite(this.options.composite.alarmName, this.composite.status.value, children, atMs);
    if (composite.value !== this.composite.status.value) {
      events.push(compositeAlarmEvent({ alarmName: this.options.composite.alarmName, alarmRule: this.alarmRule, description: this.options.composite.description }, atMs, this.composite.status, composite));
      this.composite.status = composite;
      this.composite.sinceMs = atMs;
    }
    let refused: AlarmDeliveryError | undefined;
    for (const event of events) {
      this.options.onStateChange?.(event);
      // A refused event does not hold back the later ones (the composite's after its children's).
      refused = (await this.deliverWithRetries(event)) ?? refused;
    }
    if (refused) throw refused;
    return events;
  }

  /** @returns the error when every attempt was refused */
  private async deliverWithRetries(event: AlarmStateChangeEvent): Promise<AlarmDeliveryError | undefined> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt++) {
      try {
        await this.deliver(event);
        return undefined;
      } catch (error) {
        lastError = error;
      }
    }
    return new AlarmDeliveryError(event.detail.alarmName, event.detail.state.value, DELIVERY_ATTEMPTS, { cause: lastError });
  }
}

import { REPO_ROOT } from '../../../infra/paths';
import { readSchedules, type ScheduleDefinition } from '../../../infra/schedules';

/** Two schedules of the example spec, as cdk.json context would configure them: one cron in a time zone with a flexible window, one rate. */
export function exampleSchedules(): ScheduleDefinition[] {
  return readSchedules(
    [
      { name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', specFile: 'examples/orders-spec.json', flexibleWindowMinutes: 15 },
      { name: 'hourly-orders', expression: 'rate(1 hour)', specFile: 'examples/orders-spec.json' },
    ],
    REPO_ROOT,
  );
}

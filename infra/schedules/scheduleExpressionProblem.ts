const KINDS = 'rate(N minutes|hours|days), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)';

const RATE = /^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON = /^cron\(([^()]+)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;

/**
 * What is wrong with `expression` as an EventBridge Scheduler schedule expression, or undefined.
 * Checked at synth so that a typo fails `cdk synth` naming the schedule instead of the deployment.
 * Mirrors Scheduler's rules: a rate of 1 takes the singular unit (as CDK's `ScheduleExpression.rate`
 * writes it), a cron has six fields with `?` in exactly one of day-of-month and day-of-week.
 *
 * @example
 *   scheduleExpressionProblem('cron(0 6 * * ? *)'); // undefined
 *   scheduleExpressionProblem('rate(5)');           // 'must be rate(N minutes|hours|days), … got "rate(5)"'
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const problem = kindProblem(expression);
  return problem === undefined ? undefined : `must be ${KINDS}${problem === '' ? '' : ` (${problem})`}, got ${JSON.stringify(expression)}`;
}

// '' = not of any known kind; a text = of a known kind, but broken in the way it says.
function kindProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) return (rate[1] === '1') === !rate[2]!.endsWith('s') ? undefined : 'a rate of 1 takes the singular unit, any other the plural';
  const at = AT.exec(expression);
  if (at) return isRealDateTime(at[1]!, Number(at[2]), Number(at[3]), Number(at[4])) ? undefined : 'not a real date and time';
  const cron = CRON.exec(expression);
  if (cron) return cronProblem(cron[1]!.trim().split(/\s+/));
  return '';
}

function cronProblem(fields: readonly string[]): string | undefined {
  if (fields.length !== 6) return `a cron has 6 fields, this one ${fields.length}`;
  if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field may hold only digits, letters and * ? , / # -';
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be ?';
  return undefined;
}

function isRealDateTime(date: string, hours: number, minutes: number, seconds: number): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) && hours < 24 && minutes < 60 && seconds < 60;
}

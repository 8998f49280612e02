/**
 * ISO-8601 timestamps with an explicit UTC offset, as order events carry them:
 * `2024-03-09T23:30:00-08:00`, `2024-03-10T07:30:00.250Z`. Seconds are required; the offset is
 * `Z` or `±HH:MM` (at most 14:00 either way).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

interface LocalTimestamp {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC (`-08:00` is -480). */
  readonly offsetMinutes: number;
}

function parseTimestamp(value: string): LocalTimestamp | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const sign = m[8] === '-' ? -1 : 1;
  const offsetMinutes = m[7] === 'Z' ? 0 : sign * (Number(m[9]) * 60 + Number(m[10]));
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    offsetMinutes,
  };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * Why a string is not a valid offset timestamp, or undefined if it is one.
 * @example
 *   timestampProblem('2024-03-09T23:30:00-08:00'); // undefined
 *   timestampProblem('2024-03-09T23:30:00');       // 'must end with a UTC offset ...'
 */
export function timestampProblem(value: string): string | undefined {
  const t = parseTimestamp(value);
  if (!t) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)
      ? 'must end with a UTC offset ("Z" or "±HH:MM"), e.g. "2024-03-09T23:30:00-08:00"'
      : 'must be an ISO-8601 timestamp with seconds and a UTC offset, e.g. "2024-03-09T23:30:00-08:00"';
  }
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth(t.year, t.month)) return 'is not a real calendar date';
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return 'is not a real time of day (00:00:00–23:59:59)';
  if (Math.abs(t.offsetMinutes) > 14 * 60 || Math.abs(t.offsetMinutes % 60) > 59) return 'has an impossible UTC offset (at most ±14:00)';
  return undefined;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of {@link daysFromCivil}, formatted as `YYYY-MM-DD`. */
function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The UTC calendar date (`YYYY-MM-DD`) of an offset timestamp, by integer arithmetic (no `Date`,
 * no time zone database, no clock). The timestamp must be valid ({@link timestampProblem}).
 * @example
 *   utcDateOf('2024-03-09T23:30:00-08:00'); // '2024-03-10'
 *   utcDateOf('2024-03-10T01:15:00+09:00'); // '2024-03-09'
 */
export function utcDateOf(timestamp: string): string {
  const t = parseTimestamp(timestamp);
  if (!t) throw new RangeError(`not an ISO-8601 timestamp with a UTC offset: ${JSON.stringify(timestamp)}`);
  const utcMinuteOfDay = t.hour * 60 + t.minute - t.offsetMinutes;
  return civilFromDays(daysFromCivil(t.year, t.month, t.day) + Math.floor(utcMinuteOfDay / 1440));
}


/**
 * The naming rules of S3 buckets and DynamoDB tables, so a spec naming an impossible resource is
 * refused as a spec error with the rule it breaks, not later by the service (or an emulator) with
 * an error of its own.
 */

const BUCKET_RULES = 'S3 bucket names are 3–63 of a-z 0-9 . - and begin and end with a letter or digit';
const BUCKET_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const BUCKET_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * What is wrong with `name` as an S3 bucket name (general purpose buckets), or undefined.
 * @example
 *   bucketNameProblem('a..b'); // 'must not contain two adjacent periods (S3 bucket names are …)'
 */
export function bucketNameProblem(name: string): string | undefined {
  const rule = (problem: string) => `${problem} (${BUCKET_RULES})`;
  if (name.length < 3 || name.length > 63) return rule(`must be 3–63 characters long, not ${name.length}`);
  if (/[A-Z]/.test(name)) return rule('must not contain capital letters');
  if (!/^[a-z0-9.-]+$/.test(name)) return rule('may only contain a-z, 0-9, "." and "-"');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return rule('must begin and end with a letter or digit');
  if (name.includes('..')) return rule('must not contain two adjacent periods');
  if (name.includes('.-') || name.includes('-.')) return rule('must not have a hyphen next to a period');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return rule('must not be formatted as an IP address');
  const prefix = BUCKET_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not begin with "${prefix}", a prefix S3 reserves`;
  const suffix = BUCKET_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with "${suffix}", a suffix S3 reserves`;
  return undefined;
}

/**
 * What is wrong with `name` as a DynamoDB table name, or undefined.
 * @example
 *   tableNameProblem('my table'); // 'may only contain A-Z a-z 0-9 _ - . (…)'
 */
export function tableNameProblem(name: string): string | undefined {
  const rules = 'DynamoDB table names are 3–255 of A-Z a-z 0-9 _ - .';
  if (name.length < 3 || name.length > 255) return `must be 3–255 characters long, not ${name.length} (${rules})`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return `may only contain A-Z a-z 0-9 _ - . (${rules})`;
  return undefined;
}

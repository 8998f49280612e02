import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';

/**
 * One attribute that differs between two items: `changed` (both have it), `added` (only the later
 * one), `removed` (only the earlier one). `path` names it inside maps and lists (`address.city`,
 * `lines[2].qty`, `["odd key"]`); the empty path is the whole item (created or deleted).
 */
export interface AttributeChange {
  readonly path: string;
  readonly kind: 'changed' | 'added' | 'removed';
  readonly before?: unknown;
  readonly after?: unknown;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Set);

function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function diffValues(path: string, before: unknown, after: unknown, out: AttributeChange[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (isMap(before) && isMap(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const p = childPath(path, key);
      if (!(key in after)) out.push({ path: p, kind: 'removed', before: before[key] });
      else if (!(key in before)) out.push({ path: p, kind: 'added', after: after[key] });
      else diffValues(p, before[key], after[key], out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, kind: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: p, kind: 'added', after: after[i] });
      else diffValues(p, before[i], after[i], out);
    }
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

/**
 * The attributes that differ from `before` to `after`, in path order, nested into maps and lists;
 * a whole item created or deleted is one change with the empty path (its attributes are not listed).
 * @example
 *   diffItems({ id: 'o1', totalCents: 1999 }, { id: 'o1', totalCents: 2010, note: 'x' });
 *   // [{ path: 'note', kind: 'added', after: 'x' }, { path: 'totalCents', kind: 'changed', before: 1999, after: 2010 }]
 */
export function diffItems(before: TargetItem | null, after: TargetItem | null): AttributeChange[] {
  if (before === null && after === null) return [];
  if (before === null) return [{ path: '', kind: 'added' }];
  if (after === null) return [{ path: '', kind: 'removed' }];
  const changes: AttributeChange[] = [];
  diffValues('', before, after, changes);
  return changes;
}

/** Longest value shown in a change, in characters of JSON; longer ones end in `…` and say their length. */
export const SHOWN_VALUE_CHARS = 160;

/**
 * A value as JSON, shortened past {@link SHOWN_VALUE_CHARS}.
 * @example
 *   shownValue('gift'); // '"gift"'
 */
export function shownValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length <= SHOWN_VALUE_CHARS ? text : `${text.slice(0, SHOWN_VALUE_CHARS)}… (${text.length} chars)`;
}

/**
 * One change as an operator reads it.
 * @example
 *   formatChange({ path: 'totalCents', kind: 'changed', before: 1999, after: 2010 }); // 'totalCents: 1999 → 2010'
 */
export function formatChange(change: AttributeChange): string {
  if (change.path === '') return change.kind === 'added' ? 'item created' : 'item deleted';
  if (change.kind === 'added') return `+ ${change.path}: ${shownValue(change.after)}`;
  if (change.kind === 'removed') return `- ${change.path}: ${shownValue(change.before)}`;
  return `${change.path}: ${shownValue(change.before)} → ${shownValue(change.after)}`;
}

/**
 * At most `limit` changes, each value no longer than {@link SHOWN_VALUE_CHARS} (a longer string is
 * cut and says its length; a longer map or list becomes its cut JSON text): what a bounded payload
 * (a rehearsal result) carries. The rollback's conflict list keeps every change whole.
 * @example
 *   boundedChanges(diffItems(wrote, now), 8); // the first 8 changes, long values cut
 */
export function boundedChanges(changes: readonly AttributeChange[], limit: number): AttributeChange[] {
  const bound = (value: unknown): unknown => {
    if (typeof value === 'string') return value.length <= SHOWN_VALUE_CHARS ? value : `${value.slice(0, SHOWN_VALUE_CHARS)}… (${value.length} chars)`;
    const text = JSON.stringify(value);
    return text !== undefined && text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}… (${text.length} chars of JSON)` : value;
  };
  return changes.slice(0, limit).map((c) => ({ ...c, ...('before' in c ? { before: bound(c.before) } : {}), ...('after' in c ? { after: bound(c.after) } : {}) }));
}

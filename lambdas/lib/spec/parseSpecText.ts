import { InvalidSpecError, SpecTextError, type SpecProblem } from './errors';
import { firstInvalidUtf8Byte } from '../text/firstInvalidUtf8Byte';

/** Deeper nesting is refused before the recursion could exhaust the stack. */
const MAX_DEPTH = 256;
const EXCERPT_CHARS = 40;

/**
 * Parses a spec file's bytes as strict JSON (RFC 8259), refusing what `JSON.parse` lets through
 * silently: a key given twice in one object (JSON.parse keeps the last, so
 * `{"mode":"dry-run", …, "mode":"apply"}` would apply), an integer beyond 2^53-1 (it would be
 * rounded), and bytes that are not UTF-8. Messages never echo the raw bytes of a bad file.
 *
 * For files only: Step Functions parses execution input itself, so a spec pasted into the console
 * reaches ValidateSpec as an object and these checks cannot apply there.
 * @throws SpecTextError when the bytes are not UTF-8 or not JSON (naming line, column, offset);
 *   InvalidSpecError naming every duplicate key and unsafe integer by its path (`spec.source.bucket`).
 * @example
 *   const input = parseSpecText(readFileSync('spec.json'));
 */
export function parseSpecText(bytes: Uint8Array): unknown {
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad !== -1) throw new SpecTextError(`not a UTF-8 JSON text, first bad byte at offset ${bad} (0x${bytes[bad]!.toString(16).padStart(2, '0')})`, bad);
  let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  // Editors on Windows write a byte order mark; it is not part of the JSON text.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const parser = new StrictJsonParser(text);
  const value = parser.document();
  if (parser.problems.length > 0) throw new InvalidSpecError(parser.problems);
  return value;
}

/** A character as a message may show it: printable ASCII quoted, anything else as U+XXXX. */
function describeChar(c: string | undefined): string {
  if (c === undefined) return 'the end of the text';
  const code = c.codePointAt(0)!;
  return code > 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

class StrictJsonParser {
  readonly problems: SpecProblem[] = [];
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    this.skipWhitespace();
    const value = this.value('spec', 0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected ${describeChar(this.text[this.pos])} after the JSON value`);
    return value;
  }

  private value(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.pos];
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(path);
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(`expected a value, found ${describeChar(c)}`);
  }

  private object(path: string, depth: number): Record<string, unknown> {
    this.pos += 1;
    const result: Record<string, unknown> = {};
    const seen = new Map<string, { start: number; end: number }>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`expected a key in double quotes, found ${describeChar(this.text[this.pos])}`);
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after the key ${childPath(path, key)}, found ${describeChar(this.text[this.pos])}`);
      this.pos += 1;
      this.skipWhitespace();
      const at = childPath(path, key);
      const start = this.pos;
      const value = this.value(at, depth + 1);
      const first = seen.get(key);
      if (first) {
        this.problems.push({ field: at, message: `is given twice in one object: first ${this.excerpt(first)}, then ${this.excerpt({ start, end: this.pos })}; keep one` });
      } else {
        seen.set(key, { start, end: this.pos });
      }
      // defineProperty: a key "__proto__" must stay a plain field, as JSON.parse makes it.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      if (this.listContinues('}', at)) continue;
      return result;
    }
  }

  private array(path: string, depth: number): unknown[] {
    this.pos += 1;
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      const at = childPath(path, result.length);
      result.push(this.value(at, depth + 1));
      if (this.listContinues(']', at)) continue;
      return result;
    }
  }

  /** After a member: true on ',', false (consumed) on `close`, otherwise a syntax error. */
  private listContinues(close: '}' | ']', after: string): boolean {
    this.skipWhitespace();
    const c = this.text[this.pos];
    this.pos += 1;
    if (c === ',') return true;
    if (c === close) return false;
    this.pos -= 1;
    return this.fail(`expected ',' or '${close}' after ${after}, found ${describeChar(c)}`);
  }

  private string(): string {
    this.pos += 1;
    let out = '';
    let chunk = this.pos;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('the text ends inside a string');
      if (c === '"') {
        out += this.text.slice(chunk, this.pos);
        this.pos += 1;
        return out;
      }
      if (c === '\\') {
        out += this.text.slice(chunk, this.pos) + this.escape();
        chunk = this.pos;
        continue;
      }
      if (c < ' ') this.fail(`the control character ${describeChar(c)} must be escaped inside a string`);
      this.pos += 1;
    }
  }

  private escape(): string {
    const c = this.text[this.pos + 1];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (c !== undefined && c in simple) {
      this.pos += 2;
      return simple[c]!;
    }
    const hex = this.text.slice(this.pos + 2, this.pos + 6);
    if (c === 'u' && /^[0-9A-Fa-f]{4}$/.test(hex)) {
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    this.pos += 1;
    return this.fail(`invalid escape \\${c === undefined ? '' : describeChar(c)} in a string`);
  }

  private number(path: string): number {
    const match = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found) return this.fail(`expected a digit, found ${describeChar(this.text[this.pos + 1])}`);
    this.pos += found[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.fail(`malformed number (a leading zero, or ${describeChar(next)} where the number should end)`);
    const value = Number(found[0]);
    const isIntegerLiteral = found[1] === undefined && found[2] === undefined;
    if (!Number.isFinite(value)) {
      this.problems.push({ field: path, message: `${this.excerpt({ start: this.pos - found[0].length, end: this.pos })} is too large for a number` });
    } else if (isIntegerLiteral && !Number.isSafeInteger(value)) {
      // JSON.parse would round it (9007199254740993 becomes …992): refuse rather than use another number.
      this.problems.push({ field: path, message: `${found[0]} exceeds 2^53-1 (9007199254740991) and cannot be represented exactly` });
    }
    return value;
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos += 1;
  }

  /** A value's source text as a message may quote it: short, on one line, control characters escaped. */
  private excerpt(range: { start: number; end: number }): string {
    const raw = this.text.slice(range.start, range.end).replace(/\s+/g, ' ');
    const short = raw.length > EXCERPT_CHARS ? `${raw.slice(0, EXCERPT_CHARS)}…` : raw;
    return short.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }

  private fail(problem: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new SpecTextError(`not valid JSON: ${problem} at line ${line}, column ${column}`, this.pos);
  }
}

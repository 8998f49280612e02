/** One HTML form as a browser would submit it: where, how, and its named fields with their values. */
export interface HtmlForm {
  readonly method: string;
  /** As written in the page (resolve it against the page's URL). */
  readonly action: string;
  /** Hidden and text inputs, textareas, and each submit button's name/value (`buttons`), in page order. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly buttons: ReadonlyArray<readonly [string, string]>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references an attribute value or text may hold. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The attributes of one start tag: `name="v"`, `name='v'`, `name=v`, bare `name`; names lower-cased. */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  const inner = tag.replace(/^<\s*[a-z0-9]+/i, '').replace(/\/?>$/, '');
  for (const match of inner.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    found[match[1]!.toLowerCase()] ??= decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

/**
 * The forms of an HTML page, read the way the unattended demo approver needs: enough to submit the
 * approval page's own form, not a general HTML parser (no scripts, no nested forms).
 * @example
 *   readForms('<form method="post" action="/approvals/q3"><input type="hidden" name="csrf" value="t"><button name="decision" value="approve">Approve</button></form>');
 *   // [{ method: 'post', action: '/approvals/q3', fields: [['csrf', 't']], buttons: [['decision', 'approve']] }]
 */
export function readForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form\s*>/gi)) {
    const form = attributes(match[0].slice(0, match[0].indexOf('>') + 1));
    const fields: Array<[string, string]> = [];
    const buttons: Array<[string, string]> = [];
    for (const control of match[1]!.matchAll(/<(input|button)\b[^>]*>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea\s*>/gi)) {
      if (control[0].toLowerCase().startsWith('<textarea')) {
        const name = attributes(`<textarea${control[2]}>`).name;
        if (name) fields.push([name, decodeEntities(control[3]!)]);
        continue;
      }
      const a = attributes(control[0]);
      if (!a.name || 'disabled' in a) continue;
      const type = (a.type ?? (control[1]!.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      if (type === 'submit') buttons.push([a.name, a.value ?? '']);
      else if (type === 'radio' || type === 'checkbox') {
        if ('checked' in a) fields.push([a.name, a.value ?? 'on']);
      } else if (type !== 'button' && type !== 'reset' && type !== 'file' && type !== 'image') fields.push([a.name, a.value ?? '']);
    }
    forms.push({ method: (form.method ?? 'get').toLowerCase(), action: form.action ?? '', fields, buttons });
  }
  return forms;
}

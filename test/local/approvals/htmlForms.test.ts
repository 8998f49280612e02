import { decodeEntities, readForms } from '../../../local/approvals/htmlForms';

describe('readForms', () => {
  it('reads a decision form: method, action, hidden fields, textarea, submit buttons; entities decoded', () => {
    const html = `<!doctype html><body><h1>Approve?</h1>
      <form method="POST" action="/approvals/q3J0?x=1&amp;y=2">
        <input type="hidden" name="approver" value="demo-approver@example.com">
        <input type=hidden name=exp value=1796212800>
        <input type='hidden' name='sig' value='Ab-_c'/>
        <input type="hidden" name="csrf" value="t&#x2B;k&#43;n">
        <label>Comment <textarea name="comment" rows="3">pre &lt;filled&gt;</textarea></label>
        <input type="checkbox" name="ack" value="yes" checked><input type="checkbox" name="other" value="no">
        <input type="radio" name="mode" value="a"><input type="radio" name="mode" value="b" checked>
        <input name="untyped" value="u"><input type="text" name="disabled-one" value="d" disabled>
        <button type="submit" name="decision" value="approve">Approve</button>
        <button name="decision" value="reject">Reject</button>
        <button type="button" name="noop">Nothing</button>
      </form>
      <form action="/search"><input name="q"></form></body>`;
    expect(readForms(html)).toEqual([
      {
        method: 'post',
        action: '/approvals/q3J0?x=1&y=2',
        fields: [['approver', 'demo-approver@example.com'], ['exp', '1796212800'], ['sig', 'Ab-_c'], ['csrf', 't+k+n'], ['comment', 'pre <filled>'], ['ack', 'yes'], ['mode', 'b'], ['untyped', 'u']],
        buttons: [['decision', 'approve'], ['decision', 'reject']],
      },
      { method: 'get', action: '/search', fields: [['q', '']], buttons: [] },
    ]);
  });

  it('a page without forms has none', () => {
    expect(readForms('<p>The run no longer waits for this approval.</p>')).toEqual([]);
  });
});

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references and leaves unknown ones', () => {
    expect(decodeEntities('&lt;a&gt; &amp; &quot;b&quot; &#39;c&#x27; &unknown; &#x1F600;')).toBe(`<a> & "b" 'c' &unknown; 😀`);
  });
});

/**
 * Bounds a problem's detail to `limit` characters without cutting a word or leaving a parenthesis
 * open (a report stays small and still reads): a longer detail is cut at the last word boundary
 * that fits, before any parenthesis still open there, and ends with "…".
 * @example
 *   boundDetail('line 3: key.orderId expected string, received number', 40); // 'line 3: key.orderId expected string, …'
 */
export function boundDetail(detail: string, limit: number): string {
  if (detail.length <= limit) return detail;
  const hard = detail.slice(0, limit - 1);
  let cut = hard.lastIndexOf(' ') > 0 ? hard.slice(0, hard.lastIndexOf(' ') + 1) : hard;
  const open = firstUnclosedParenthesis(cut);
  if (open >= 0) cut = cut.slice(0, open);
  return cut.trim() === '' ? `${hard}…` : `${cut}…`;
}

/** Index of the outermost "(" still open at the end of `text`, or -1. */
function firstUnclosedParenthesis(text: string): number {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') open.push(i);
    else if (text[i] === ')') open.pop();
  }
  return open.length > 0 ? open[0]! : -1;
}

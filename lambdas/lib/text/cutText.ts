/**
 * `text` cut to at most `max` characters, ending in "…" when it was cut: bounds what errors and
 * reports quote of an unbounded message.
 * @example
 *   cutText('a long message', 6); // 'a lon…'
 */
export const cutText = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

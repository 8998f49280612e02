/** The HTML comments around a section of docs/benchmarks.md that one bench phase rewrites alone. */
export interface SectionMarkers {
  readonly start: string;
  readonly end: string;
}

/**
 * The doc with the section between `markers` replaced by `section` (which carries the markers),
 * or `section` appended when the doc has none.
 * @example
 *   withMarkedSection('# Benchmarks\n', { start: '<!-- a -->', end: '<!-- /a -->' }, '<!-- a -->\nx\n<!-- /a -->');
 */
export function withMarkedSection(doc: string, markers: SectionMarkers, section: string): string {
  const start = doc.indexOf(markers.start);
  const end = doc.indexOf(markers.end);
  if (start >= 0 && end > start) return `${doc.slice(0, start)}${section}${doc.slice(end + markers.end.length)}`;
  return `${doc.trimEnd()}\n\n${section}\n`;
}

/**
 * The section between `markers` (markers included), when the doc has one: what a rewrite of the
 * whole doc keeps from the phases it did not measure.
 * @example
 *   markedSection(readFileSync(doc, 'utf8'), OPERATOR_SECTION); // '<!-- bench:operator:start -->…' or undefined
 */
export function markedSection(doc: string, markers: SectionMarkers): string | undefined {
  const start = doc.indexOf(markers.start);
  const end = doc.indexOf(markers.end);
  return start >= 0 && end > start ? doc.slice(start, end + markers.end.length) : undefined;
}

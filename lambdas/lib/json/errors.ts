/** A JSON number that cannot be used as written. */
export class InexactNumberError extends Error {
  constructor(
    /** The member it is the value of (`version`, or `[2]` in an array). */
    readonly field: string,
    /** The number as written in the JSON text. */
    readonly source: string,
  ) {
    super(`${field} ${source} exceeds 2^53-1, cannot be compared exactly`);
    this.name = 'InexactNumberError';
  }
}

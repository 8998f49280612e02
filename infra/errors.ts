/** A deployment setting (cdk.json context, `-c key=value`, or stack props) is missing or malformed. */
export class BackfillConfigError extends Error {
  /** The context key or prop at fault, e.g. `targetTableNames`. */
  readonly setting: string;

  constructor(setting: string, message: string, options?: { cause?: unknown }) {
    super(`${setting} ${message}`, options);
    this.name = 'BackfillConfigError';
    this.setting = setting;
  }
}

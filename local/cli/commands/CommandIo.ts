/** Where a command writes: results to stdout, notes and progress to stderr. */
export interface CommandIo {
  out(text: string): void;
  info(text: string): void;
  readonly progressStream: NodeJS.WriteStream;
  readonly codeVersion: string;
}

/** A one-line progress bar on stderr; on a non-TTY it prints a line per 10% instead. */
export class ProgressBar {
  private lastDecile = -1;
  private readonly startedMs = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  update(done: number, total: number, label: string): void {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const elapsedS = (Date.now() - this.startedMs) / 1000;
    const text = `${label} ${done}/${total} (${(fraction * 100).toFixed(0)}%) ${elapsedS.toFixed(1)}s`;
    if (this.stream.isTTY) {
      const filled = Math.round(fraction * this.width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${text}\x1b[K`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  /** A line above the bar (on a TTY the bar is redrawn on its next update). */
  note(text: string): void {
    this.stream.write(this.stream.isTTY ? `\r\x1b[K${text}\n` : `${text}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

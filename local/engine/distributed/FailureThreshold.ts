/**
 * When a Map Run has failed too many items (AWS "Tolerated failure threshold for Distributed Map state"):
 * - failed items are counted, not children: with ItemBatcher every item of a failed (or timed-out)
 *   child counts as failed;
 * - the percentage is failed items / all items of the Map Run × 100;
 * - the run fails when a declared threshold is *exceeded* (strictly greater); with both declared,
 *   when either is; with neither, any failed item fails it (the default percentage is 0).
 */
export class FailureThreshold {
  constructor(
    private readonly totalItems: number,
    private readonly percentage: number | undefined,
    private readonly count: number | undefined,
  ) {}

  isExceededBy(failedItems: number): boolean {
    if (failedItems === 0) return false;
    if (this.percentage === undefined && this.count === undefined) return true;
    const overCount = this.count !== undefined && failedItems > this.count;
    const overPercentage = this.percentage !== undefined && (failedItems * 100) / this.totalItems > this.percentage;
    return overCount || overPercentage;
  }

  /** The Cause of `States.ExceedToleratedFailureThreshold`. */
  describe(failedItems: number): string {
    const limits = [
      this.percentage !== undefined ? `ToleratedFailurePercentage ${this.percentage}` : undefined,
      this.count !== undefined ? `ToleratedFailureCount ${this.count}` : undefined,
    ].filter((limit) => limit !== undefined);
    return (
      `The specified tolerated failure threshold was exceeded: ${failedItems} of ${this.totalItems} items failed ` +
      `(${((failedItems * 100) / this.totalItems).toFixed(2)}%); tolerated: ${limits.length > 0 ? limits.join(', ') : 'none (any failure fails the Map Run)'}`
    );
  }
}

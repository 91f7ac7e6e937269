/**
 * A sum over the last `windowSeconds`, kept in a ring of buckets of `bucketSeconds` each, so
 * memory is fixed whatever the traffic.
 *
 * The window moves a whole bucket at a time: the sum covers the current, partly elapsed bucket
 * and the ones before it back to `windowSeconds`, so it spans between `windowSeconds -
 * bucketSeconds` and `windowSeconds` of time.
 */
export class SlidingWindow {
  private readonly bucketMs: number;
  private readonly sums: number[];
  /** Absolute bucket number (`floor(time / bucketMs)`) each slot currently counts. */
  private readonly bucketNumbers: number[];

  constructor(windowSeconds: number, bucketSeconds: number) {
    const bucketCount = Math.round(windowSeconds / bucketSeconds);
    this.bucketMs = bucketSeconds * 1000;
    this.sums = new Array<number>(bucketCount).fill(0);
    this.bucketNumbers = new Array<number>(bucketCount).fill(Number.NEGATIVE_INFINITY);
  }

  add(value: number, nowMs: number): void {
    const bucket = Math.floor(nowMs / this.bucketMs);
    const slot = this.slotOf(bucket);
    if (this.bucketNumbers[slot] !== bucket) {
      this.bucketNumbers[slot] = bucket;
      this.sums[slot] = 0;
    }
    this.sums[slot] += value;
  }

  /** Sum of the values added in the buckets the window covers at `nowMs`. */
  sum(nowMs: number): number {
    const current = Math.floor(nowMs / this.bucketMs);
    const oldest = current - this.sums.length;
    let total = 0;
    for (let slot = 0; slot < this.sums.length; slot += 1) {
      const bucket = this.bucketNumbers[slot];
      if (bucket > oldest && bucket <= current) total += this.sums[slot];
    }
    return total;
  }

  private slotOf(bucket: number): number {
    const count = this.sums.length;
    return ((bucket % count) + count) % count;
  }
}

/**
 * Scale-down stabilisation as the Kubernetes HPA applies it with `behavior.scaleDown.
 * stabilizationWindowSeconds`: the desired count is the highest recommendation made within the
 * window, so a short dip in load does not remove replicas that the next burst needs. Scaling up
 * is immediate, because a new, higher recommendation is at once the highest.
 *
 * One recommendation is kept per bucket (the highest of it), which bounds the history at
 * `windowSeconds / bucketSeconds` entries however often it is read.
 */
export class ScaleDownStabilizer {
  private readonly windowMs: number;
  private readonly bucketMs: number;
  private readonly history: { bucket: number; replicas: number }[] = [];

  constructor(windowSeconds: number, bucketSeconds: number) {
    this.windowMs = windowSeconds * 1000;
    this.bucketMs = bucketSeconds * 1000;
  }

  /** Records a recommendation and returns the highest recommendation of the window. */
  recommend(replicas: number, nowMs: number): number {
    if (this.windowMs === 0) return replicas;
    this.forgetBefore(nowMs - this.windowMs);
    this.remember(replicas, Math.floor(nowMs / this.bucketMs));
    return Math.max(...this.history.map((entry) => entry.replicas));
  }

  private remember(replicas: number, bucket: number): void {
    const last = this.history[this.history.length - 1];
    if (last !== undefined && last.bucket === bucket) last.replicas = Math.max(last.replicas, replicas);
    else this.history.push({ bucket, replicas });
  }

  private forgetBefore(oldestMs: number): void {
    const oldestBucket = Math.floor(oldestMs / this.bucketMs);
    while (this.history.length > 0 && this.history[0].bucket < oldestBucket) this.history.shift();
  }
}

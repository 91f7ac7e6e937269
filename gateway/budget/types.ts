/** Milliseconds since the Unix epoch; `Date.now` in production, a fake clock in tests. */
export type Clock = () => number;

/** Size and refill speed of every caller's bucket, in cost points. */
export interface BucketLimits {
  /** Points a full bucket holds: the largest burst a caller can spend at once. */
  readonly maximum: number;
  /** Points restored per second, up to `maximum`. */
  readonly restoreRate: number;
}

/** State of one bucket right after a charge. */
export interface ChargeOutcome {
  readonly allowed: boolean;
  /** Points left after the charge, or before it when the charge was rejected. */
  readonly available: number;
}

/**
 * Storage of budget buckets. A store performs the refill, the check and the deduction of one charge as a
 * single step, so two requests of one caller never both spend the same points.
 */
export interface BudgetStore {
  /** Refills the bucket of `key` to `nowMs`, then deducts `cost` when that many points are available. */
  charge(key: string, cost: number, limits: BucketLimits, nowMs: number): Promise<ChargeOutcome>;
  /** Releases connections and timers; a closed store is not used again. */
  close(): Promise<void>;
}

/**
 * A caller's budget after a charge, in the shape of Shopify's `throttleStatus` (maximum available,
 * currently available, restore rate per second), plus when a rejected charge could succeed.
 */
export interface BudgetStatus {
  readonly allowed: boolean;
  readonly available: number;
  readonly maximum: number;
  readonly restoreRate: number;
  /**
   * Whole seconds until the bucket contains enough points for the rejected cost; 0 when allowed, and
   * null when the cost exceeds `maximum`, so no wait would let it through.
   */
  readonly retryAfterSeconds: number | null;
}

import type { BucketLimits, ChargeOutcome } from './types.js';

/** Points in a bucket and the time they were counted, in milliseconds since the epoch. */
export interface BucketState {
  available: number;
  updatedAt: number;
}

/**
 * Refills a bucket for the time elapsed since it was last counted, then deducts `cost` if the
 * bucket contains that many points. A rejected charge deducts nothing: the request is refused, not
 * queued, which makes this a token bucket. Shopify's API docs call the same algorithm a leaky
 * bucket, counting spent points that drain instead of available points that refill. The Redis
 * script in `chargeScript.ts` implements the same steps in Lua.
 *
 * A clock that runs backwards (another replica's clock lagging this one) refills nothing, and
 * `updatedAt` never moves back, so skew between replicas cannot grant extra points.
 */
export function chargeBucket(state: BucketState, cost: number, limits: BucketLimits, nowMs: number): ChargeOutcome {
  const elapsedSeconds = Math.max(0, nowMs - state.updatedAt) / 1000;
  const refilled = Math.min(limits.maximum, state.available + elapsedSeconds * limits.restoreRate);
  const allowed = cost <= refilled;

  state.available = allowed ? refilled - cost : refilled;
  state.updatedAt = Math.max(nowMs, state.updatedAt);
  return { allowed, available: state.available };
}

/** Tells whether a bucket has refilled to its maximum by `nowMs`, so forgetting it changes nothing. */
export function isFull(state: BucketState, limits: BucketLimits, nowMs: number): boolean {
  const elapsedSeconds = Math.max(0, nowMs - state.updatedAt) / 1000;
  return state.available + elapsedSeconds * limits.restoreRate >= limits.maximum;
}

/** Milliseconds an empty bucket takes to refill to its maximum. */
export function refillMilliseconds(limits: BucketLimits): number {
  return Math.ceil((limits.maximum / limits.restoreRate) * 1000);
}

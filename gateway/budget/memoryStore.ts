import type { Logger } from '../../core/logger.js';
import { chargeBucket, isFull, type BucketState } from './tokenBucket.js';
import type { BucketLimits, BudgetStore, ChargeOutcome } from './types.js';

export interface MemoryStoreOptions {
  /** Most buckets kept at once; default 100 000 (about 10 MB). */
  maxEntries?: number;
  logger?: Logger;
}

const DEFAULT_MAX_ENTRIES = 100_000;
/** Evictions of non-full buckets are logged on the first and then once per this many. */
const EVICTION_LOG_EVERY = 1000;

/**
 * Buckets in this process's memory: the default store, right for a single gateway replica.
 *
 * The map is bounded. When a new caller arrives at the bound, buckets that have refilled to their
 * maximum are dropped first, because a missing bucket starts full and so behaves the same. Only if
 * none is full is the least recently charged bucket dropped, which hands that caller a full
 * bucket early; each such eviction is logged.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly maxEntries: number;
  private readonly logger: Logger | undefined;
  private evictions = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.logger = options.logger;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`budget.maxEntries must be an integer of at least 1; found ${String(options.maxEntries)}`);
    }
  }

  async charge(key: string, cost: number, limits: BucketLimits, nowMs: number): Promise<ChargeOutcome> {
    const state = this.buckets.get(key) ?? this.newBucket(limits, nowMs);
    const outcome = chargeBucket(state, cost, limits, nowMs);

    // Re-inserting keeps the map in least-recently-charged order for eviction.
    this.buckets.delete(key);
    this.buckets.set(key, state);
    return outcome;
  }

  /** Number of buckets held; a full bucket may still be held until room is needed. */
  get size(): number {
    return this.buckets.size;
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }

  private newBucket(limits: BucketLimits, nowMs: number): BucketState {
    if (this.buckets.size >= this.maxEntries) this.makeRoom(limits, nowMs);
    return { available: limits.maximum, updatedAt: nowMs };
  }

  private makeRoom(limits: BucketLimits, nowMs: number): void {
    for (const [key, state] of this.buckets) {
      if (isFull(state, limits, nowMs)) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxEntries) return;

    const oldest = this.buckets.keys().next().value;
    if (oldest === undefined) return;
    this.buckets.delete(oldest);
    this.evictions += 1;
    if (this.evictions % EVICTION_LOG_EVERY === 1) {
      this.logger?.warn({ maxEntries: this.maxEntries, evictions: this.evictions }, 'budget store full; evicted a bucket that was not full');
    }
  }
}

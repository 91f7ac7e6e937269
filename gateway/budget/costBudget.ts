import { z } from 'zod';
import { ConfigError } from '../../core/config/index.js';
import type { BucketLimits, BudgetStatus, BudgetStore, Clock } from './types.js';

/** Limits every caller's bucket shares; the gateway config's `budget` section has this shape. */
export const budgetLimitsSchema = z
  .object({
    maximum: z.number().positive().finite(),
    restoreRate: z.number().positive().finite(),
  })
  .strict();

export interface CostBudgetOptions extends BucketLimits {
  store: BudgetStore;
  /** Default `Date.now`. */
  clock?: Clock;
}

/**
 * A cost budget per caller: each caller has a token bucket of `maximum` points that refills at
 * `restoreRate` points per second, and an operation runs only if its cost fits in the bucket.
 *
 * @throws ConfigError at construction when `maximum` or `restoreRate` is not a positive number.
 */
export class CostBudget {
  readonly limits: BucketLimits;
  private readonly store: BudgetStore;
  private readonly clock: Clock;

  constructor(options: CostBudgetOptions) {
    this.limits = parseLimits({ maximum: options.maximum, restoreRate: options.restoreRate });
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Deducts `cost` from the caller's bucket if it contains that much, and reports the budget after.
   * A cost of 0 reads the budget without spending any of it.
   *
   * @throws RangeError when `cost` is negative or not finite, so a cost that could not be
   * computed is never let through. Rejects when the store cannot be reached.
   */
  async charge(callerId: string, cost: number): Promise<BudgetStatus> {
    if (!Number.isFinite(cost) || cost < 0) {
      throw new RangeError(`cost charged to a budget must be a finite number of at least 0; found ${cost}`);
    }
    const outcome = await this.store.charge(callerId, cost, this.limits, this.clock());

    return {
      allowed: outcome.allowed,
      available: outcome.available,
      maximum: this.limits.maximum,
      restoreRate: this.limits.restoreRate,
      retryAfterSeconds: this.retryAfterSeconds(outcome.allowed, outcome.available, cost),
    };
  }

  private retryAfterSeconds(allowed: boolean, available: number, cost: number): number | null {
    if (allowed) return 0;
    if (cost > this.limits.maximum) return null;
    return Math.ceil((cost - available) / this.limits.restoreRate);
  }
}

function parseLimits(raw: BucketLimits): BucketLimits {
  const result = budgetLimitsSchema.safeParse(raw);
  if (result.success) return Object.freeze(result.data);

  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const found = (raw as unknown as Record<string, unknown>)[path];
    return `budget.${path}: ${issue.message}; found ${JSON.stringify(found) ?? 'undefined'}`;
  });
  throw new ConfigError(issues);
}

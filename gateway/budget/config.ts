import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { CostBudget } from './costBudget.js';
import { createBudgetStore } from './createBudgetStore.js';
import type { BudgetStore, Clock } from './types.js';

/**
 * The `budget` section of the gateway config, so `MESHGATE_BUDGET__STORE=redis` and
 * `MESHGATE_BUDGET__REDIS_URL=redis://…` select the shared store.
 * NOTE: the defaults (100,000 points, 2000 per second) are starting values, not measured ones:
 * about ten of the largest operations `cost.maxCost` allows, refilled in under a minute.
 */
export const budgetConfigSchema = z
  .object({
    maximum: z.number().positive().finite().default(100_000),
    restoreRate: z.number().positive().finite().default(2000),
    store: z.enum(['memory', 'redis']).default('memory'),
    redisUrl: z.string().startsWith('redis').optional(),
    keyPrefix: z.string().min(1).optional(),
    maxEntries: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((value) => value.store !== 'redis' || value.redisUrl !== undefined, {
    message: 'redisUrl is required when store is redis',
    path: ['redisUrl'],
  });

export type BudgetConfig = z.infer<typeof budgetConfigSchema>;

/** Creates the store a validated `budget` config selects and the budget charged against it. */
export function createCostBudget(config: BudgetConfig, options: { clock?: Clock; logger?: Logger } = {}): { budget: CostBudget; store: BudgetStore } {
  const store =
    config.store === 'redis'
      ? createBudgetStore({ kind: 'redis', url: config.redisUrl, keyPrefix: config.keyPrefix }, options.logger)
      : createBudgetStore({ kind: 'memory', maxEntries: config.maxEntries }, options.logger);
  const budget = new CostBudget({ store, maximum: config.maximum, restoreRate: config.restoreRate, clock: options.clock });
  return { budget, store };
}

import type { Logger } from '../../core/logger.js';
import { MemoryBudgetStore, type MemoryStoreOptions } from './memoryStore.js';
import { RedisBudgetStore, type RedisStoreOptions } from './redisStore.js';
import type { BudgetStore } from './types.js';

export type BudgetStoreOptions =
  | ({ kind: 'memory' } & MemoryStoreOptions)
  | ({ kind: 'redis' } & RedisStoreOptions);

/**
 * Creates the store of budget buckets: `memory` (default) for one gateway replica, `redis` for
 * replicas that share each caller's budget.
 */
export function createBudgetStore(options: BudgetStoreOptions = { kind: 'memory' }, logger?: Logger): BudgetStore {
  const child = logger?.child({ component: 'budget' });
  switch (options.kind) {
    case 'memory':
      return new MemoryBudgetStore({ logger: child, ...options });
    case 'redis':
      return new RedisBudgetStore({ logger: child, ...options });
  }
}

export { callerKey, type CallerIdentity } from './callerKey.js';
export { budgetConfigSchema, createCostBudget, type BudgetConfig } from './config.js';
export { budgetLimitsSchema, CostBudget, type CostBudgetOptions } from './costBudget.js';
export { createBudgetStore, type BudgetStoreOptions } from './createBudgetStore.js';
export { MemoryBudgetStore, type MemoryStoreOptions } from './memoryStore.js';
export { RedisBudgetStore, type RedisStoreOptions } from './redisStore.js';
export { throttledError } from './throttledError.js';
export { toThrottleStatus, type ThrottleStatus } from './throttleStatus.js';
export type { BucketLimits, BudgetStatus, BudgetStore, ChargeOutcome, Clock } from './types.js';

import { MemoryBudgetStore, budgetConfigSchema, createCostBudget } from '../../../gateway/budget/index.js';

describe('budgetConfigSchema', () => {
  it('fills the memory store by default', () => {
    expect(budgetConfigSchema.parse({})).toEqual({ maximum: 100_000, restoreRate: 2000, store: 'memory' });
  });

  it('requires a URL for the Redis store', () => {
    const result = budgetConfigSchema.safeParse({ store: 'redis' });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('redisUrl is required when store is redis');
  });
});

describe('createCostBudget', () => {
  it('charges a memory store by default', async () => {
    const { budget, store } = createCostBudget(budgetConfigSchema.parse({ maximum: 10, restoreRate: 1 }), { clock: () => 0 });

    const status = await budget.charge('sub:ada', 4);

    expect(store).toBeInstanceOf(MemoryBudgetStore);
    expect(status.available).toBe(6);
  });
});

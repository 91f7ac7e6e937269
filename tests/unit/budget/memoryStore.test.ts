import { MemoryBudgetStore } from '../../../gateway/budget/index.js';

const limits = { maximum: 10, restoreRate: 1 };

describe('MemoryBudgetStore', () => {
  it('drops a refilled bucket first when full', async () => {
    const store = new MemoryBudgetStore({ maxEntries: 2 });
    await store.charge('a', 5, limits, 0);
    await store.charge('b', 5, limits, 4_000);

    // At 6 s, a has refilled (5 + 6 = 11 ≥ 10) while b has not (5 + 2 = 7).
    await store.charge('c', 1, limits, 6_000);
    const b = await store.charge('b', 0, limits, 6_000);
    const sizeBeforeA = store.size;
    const a = await store.charge('a', 0, limits, 6_000);

    expect(sizeBeforeA).toBe(2);
    expect(b.available).toBe(7);
    expect(a.available).toBe(10);
  });

  it('evicts the least recently charged bucket when none is full', async () => {
    const store = new MemoryBudgetStore({ maxEntries: 2 });
    await store.charge('a', 5, limits, 0);
    await store.charge('b', 5, limits, 0);
    await store.charge('a', 1, limits, 0);

    await store.charge('c', 1, limits, 0);
    const a = await store.charge('a', 0, limits, 0);

    expect(store.size).toBe(2);
    expect(a.available).toBe(4);
  });

  it('forgets every bucket on close', async () => {
    const store = new MemoryBudgetStore();
    await store.charge('a', 5, limits, 0);

    await store.close();

    expect(store.size).toBe(0);
  });

  it('rejects a bound below one', () => {
    expect(() => new MemoryBudgetStore({ maxEntries: 0 })).toThrow(
      'budget.maxEntries must be an integer of at least 1; found 0',
    );
  });
});

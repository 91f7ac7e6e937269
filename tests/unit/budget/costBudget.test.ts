import { ConfigError } from '../../../core/config/index.js';
import { CostBudget, MemoryBudgetStore, createBudgetStore, toThrottleStatus } from '../../../gateway/budget/index.js';

function fakeClock(startMs = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = startMs;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function budgetOf100At10PerSecond(clock: () => number): CostBudget {
  return new CostBudget({ store: createBudgetStore({ kind: 'memory' }), maximum: 100, restoreRate: 10, clock });
}

describe('CostBudget', () => {
  it('deducts allowed charges from a full bucket', async () => {
    const clock = fakeClock();
    const budget = budgetOf100At10PerSecond(clock.now);

    const first = await budget.charge('sub:ada', 30);
    const second = await budget.charge('sub:ada', 50);

    expect(first).toEqual({ allowed: true, available: 70, maximum: 100, restoreRate: 10, retryAfterSeconds: 0 });
    expect(second.available).toBe(20);
  });

  it('rejects a charge above the available points without deducting', async () => {
    const clock = fakeClock();
    const budget = budgetOf100At10PerSecond(clock.now);
    await budget.charge('sub:ada', 80);

    const rejected = await budget.charge('sub:ada', 30);
    const after = await budget.charge('sub:ada', 0);

    // 20 points left, 30 needed: 10 missing at 10 per second is 1 second.
    expect(rejected).toEqual({ allowed: false, available: 20, maximum: 100, restoreRate: 10, retryAfterSeconds: 1 });
    expect(after.available).toBe(20);
  });

  it('refills at the restore rate as the clock advances', async () => {
    const clock = fakeClock();
    const budget = budgetOf100At10PerSecond(clock.now);
    await budget.charge('sub:ada', 100);

    clock.advance(500);
    const halfSecond = await budget.charge('sub:ada', 10);
    clock.advance(2_500);
    const threeSeconds = await budget.charge('sub:ada', 0);

    // 0 + 0.5 s × 10 = 5 < 10, rejected; then 5 + 2.5 s × 10 = 30.
    expect(halfSecond.allowed).toBe(false);
    expect(halfSecond.available).toBe(5);
    expect(halfSecond.retryAfterSeconds).toBe(1);
    expect(threeSeconds.available).toBe(30);
  });

  it('caps the refill at the maximum', async () => {
    const clock = fakeClock();
    const budget = budgetOf100At10PerSecond(clock.now);
    await budget.charge('sub:ada', 40);

    clock.advance(60_000);
    const status = await budget.charge('sub:ada', 0);

    expect(status.available).toBe(100);
  });

  it('rounds the retry delay up to whole seconds', async () => {
    const clock = fakeClock();
    const budget = new CostBudget({ store: new MemoryBudgetStore(), maximum: 100, restoreRate: 3, clock: clock.now });
    await budget.charge('sub:ada', 99);

    const status = await budget.charge('sub:ada', 11);

    // 1 point left, 10 missing at 3 per second: 3.33 s, reported as 4.
    expect(status.retryAfterSeconds).toBe(4);
  });

  it('reports no retry delay for a cost above the maximum', async () => {
    const budget = budgetOf100At10PerSecond(fakeClock().now);

    const status = await budget.charge('sub:ada', 101);

    expect(status).toEqual({ allowed: false, available: 100, maximum: 100, restoreRate: 10, retryAfterSeconds: null });
  });

  it('keeps callers in separate buckets', async () => {
    const budget = budgetOf100At10PerSecond(fakeClock().now);
    await budget.charge('sub:ada', 100);

    const other = await budget.charge('sub:grace', 60);

    expect(other.available).toBe(40);
  });

  it('refills nothing when the clock moves backwards', async () => {
    const clock = fakeClock();
    const budget = budgetOf100At10PerSecond(clock.now);
    await budget.charge('sub:ada', 100);
    clock.advance(2_000);
    await budget.charge('sub:ada', 20);

    clock.advance(-1_000);
    const behind = await budget.charge('sub:ada', 0);
    clock.advance(2_000);
    const ahead = await budget.charge('sub:ada', 0);

    // At +2 s: 20 refilled and spent. Back at +1 s: still 0. At +3 s: 1 s after +2 s, so 10.
    expect(behind.available).toBe(0);
    expect(ahead.available).toBe(10);
  });

  it('rejects a negative cost', async () => {
    expect.assertions(1);
    const budget = budgetOf100At10PerSecond(fakeClock().now);

    await expect(budget.charge('sub:ada', -1)).rejects.toThrow(
      'cost charged to a budget must be a finite number of at least 0; found -1',
    );
  });

  it('rejects a cost that is not a number', async () => {
    expect.assertions(1);
    const budget = budgetOf100At10PerSecond(fakeClock().now);

    await expect(budget.charge('sub:ada', Number.NaN)).rejects.toThrow(
      'cost charged to a budget must be a finite number of at least 0; found NaN',
    );
  });

  it('rejects a restore rate of zero at construction', () => {
    const build = () => new CostBudget({ store: new MemoryBudgetStore(), maximum: 100, restoreRate: 0 });

    expect(build).toThrow(ConfigError);
    expect(build).toThrow('budget.restoreRate: Too small: expected number to be >0; found 0');
  });
});

describe('toThrottleStatus', () => {
  it('renames the status fields as Shopify reports them', () => {
    const status = { allowed: true, available: 70, maximum: 100, restoreRate: 10, retryAfterSeconds: 0 };

    expect(toThrottleStatus(status)).toEqual({ maximumAvailable: 100, currentlyAvailable: 70, restoreRate: 10 });
  });
});

import { Redis } from 'ioredis';
import { CostBudget, RedisBudgetStore, budgetConfigSchema, createBudgetStore, createCostBudget } from '../../../gateway/budget/index.js';
import { freePort, startRedisServer, type RedisServer } from './redisServer.js';

const limits = { maximum: 100, restoreRate: 10 };

describe('RedisBudgetStore', () => {
  let server: RedisServer;
  let admin: Redis;
  let time: number;
  const stores: RedisBudgetStore[] = [];

  function budgetOnNewStore(keyPrefix: string): CostBudget {
    const store = new RedisBudgetStore({ url: server.url, keyPrefix });
    stores.push(store);
    return new CostBudget({ store, ...limits, clock: () => time });
  }

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await admin.quit();
    await server.stop();
  });

  beforeEach(() => {
    time = 1_700_000_000_000;
  });

  it('shares one bucket between two stores', async () => {
    const replicaA = budgetOnNewStore('shared:');
    const replicaB = budgetOnNewStore('shared:');

    const first = await replicaA.charge('sub:ada', 60);
    const second = await replicaB.charge('sub:ada', 50);
    const third = await replicaB.charge('sub:ada', 40);

    // 100 − 60 = 40 left: 50 is rejected with 10 missing at 10/s, then 40 fits.
    expect(first.available).toBe(40);
    expect(second).toEqual({ allowed: false, available: 40, maximum: 100, restoreRate: 10, retryAfterSeconds: 1 });
    expect(third).toEqual({ allowed: true, available: 0, maximum: 100, restoreRate: 10, retryAfterSeconds: 0 });
  });

  it('refills by the clock passed to the script', async () => {
    const replicaA = budgetOnNewStore('refill:');
    const replicaB = budgetOnNewStore('refill:');
    await replicaA.charge('sub:ada', 100);

    time += 2_500;
    const later = await replicaB.charge('sub:ada', 0);
    time += 60_000;
    const full = await replicaA.charge('sub:ada', 0);

    expect(later.available).toBe(25);
    expect(full.available).toBe(100);
  });

  it('keeps fractional points exact through Redis', async () => {
    const budget = budgetOnNewStore('fraction:');
    await budget.charge('sub:ada', 100);

    time += 123;
    const status = await budget.charge('sub:ada', 0);

    expect(status.available).toBeCloseTo(1.23, 12);
  });

  it('lets exactly the affordable share of concurrent charges through', async () => {
    const replicaA = budgetOnNewStore('race:');
    const replicaB = budgetOnNewStore('race:');

    const charges = Array.from({ length: 30 }, (_, index) => (index % 2 === 0 ? replicaA : replicaB).charge('sub:ada', 10));
    const results = await Promise.all(charges);

    // 100 points at 10 per charge, and the clock does not move: 10 of the 30 fit.
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
  });

  it('reloads the script after Redis forgets it', async () => {
    const budget = budgetOnNewStore('flush:');
    await budget.charge('sub:ada', 30);

    await admin.script('FLUSH');
    const status = await budget.charge('sub:ada', 30);

    expect(status.available).toBe(40);
  });

  it('expires a bucket once it would be full again', async () => {
    const budget = budgetOnNewStore('expiry:');
    await budget.charge('sub:ada', 10);

    const ttl = await admin.pttl('expiry:sub:ada');

    // An empty bucket of 100 refills in 10 s at 10/s; the key lives 1 s longer.
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(11_000);
  });

  it('is created by createBudgetStore with a client', async () => {
    const client = new Redis(server.url);
    const store = createBudgetStore({ kind: 'redis', client, keyPrefix: 'factory:' });

    const outcome = await store.charge('sub:ada', 5, limits, time);
    await store.close();
    const stillOpen = await client.ping();
    await client.quit();

    expect(outcome).toEqual({ allowed: true, available: 95 });
    expect(stillOpen).toBe('PONG');
  });

  it('is selected by the budget config', async () => {
    const config = budgetConfigSchema.parse({ maximum: 10, restoreRate: 1, store: 'redis', redisUrl: server.url, keyPrefix: 'config:' });
    const { budget, store } = createCostBudget(config, { clock: () => time });
    stores.push(store as RedisBudgetStore);

    await budget.charge('sub:ada', 4);
    const stored = await admin.hget('config:sub:ada', 'available');

    expect(store).toBeInstanceOf(RedisBudgetStore);
    expect(Number(stored)).toBe(6);
  });

  it('rejects a charge when Redis is unreachable', async () => {
    expect.assertions(1);
    const closedPort = await freePort();
    const store = new RedisBudgetStore({ url: `redis://127.0.0.1:${closedPort}`, commandTimeoutMs: 200 });

    try {
      await expect(store.charge('sub:ada', 5, limits, time)).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});

import { startRedisServer, type RedisServer } from '../budget/redisServer.js';
import { PRINCIPAL_HEADER, startTinyGateway, startTinyMesh, type TinyGateway, type TinyMesh } from './tinyMesh.js';

/**
 * Two products with their four reviews each, priced by hand from the tiny mesh's directives:
 *   products @cost(weight: 3)                                   = 3
 *   2 products (first: 2) × Product @cost(weight: 2)            = 4
 *   2 × 4 reviews (@listSize(assumedSize: 4)) × Review weight 1 = 8
 *   total                                                       = 15
 */
const QUERY = '{ products(first: 2) { name reviews { body } } }';
const ESTIMATE = 3 + 2 * 2 + 2 * 4 * 1;

/** A budget of 40 points restored at 1 point per second: two operations fit, the third waits. */
const BUDGET = { maximum: 40, restoreRate: 1 };

/** Fixed budget clock of both gateways, so no points are restored during a test. */
const NOW = 1_700_000_000_000;

interface CostExtension {
  estimated: number | null;
  actual: number | null;
  bySubgraph: Record<string, { estimated: number; actual?: number }>;
  budget: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | null;
}

interface GraphQLResponse {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    extensions?: { cost?: CostExtension };
  };
}

let redis: RedisServer;
let mesh: TinyMesh;
const gateways: TinyGateway[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  mesh = await startTinyMesh();
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await mesh?.stop();
  await redis?.stop();
});

/** Starts two gateways whose budgets share the keys under `keyPrefix` in the test's Redis. */
async function twoGateways(keyPrefix: string): Promise<[TinyGateway, TinyGateway]> {
  const budget = { ...BUDGET, store: 'redis' as const, redisUrl: redis.url, keyPrefix };
  const first = await startTinyGateway(mesh, { budget }, () => NOW);
  const second = await startTinyGateway(mesh, { budget }, () => NOW);
  gateways.push(first, second);
  return [first, second];
}

async function post(gateway: TinyGateway, principal?: string): Promise<GraphQLResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (principal !== undefined) headers[PRINCIPAL_HEADER] = principal;
  const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query: QUERY }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as GraphQLResponse['body'] };
}

describe('cost budget shared through Redis', () => {
  it('throttles on one gateway a caller who drained the budget on the other', async () => {
    const [first, second] = await twoGateways('drain:');

    const spent = [await post(first), await post(first)];
    const callsBefore = mesh.productCalls();
    const throttled = await post(second);

    // 40 − 15 − 15 = 10 points left; 15 needed at 1 point per second: ceil(5 / 1) = 5 s.
    expect(spent.map((response) => response.status)).toEqual([200, 200]);
    expect(spent[1].body.extensions?.cost?.budget?.currentlyAvailable).toBe(10);
    expect(throttled.status).toBe(429);
    expect(throttled.retryAfter).toBe('5');
    expect(throttled.body.errors?.[0].message).toBe('Operation cost 15 exceeds the 10 points left in the cost budget; retry after 5 s.');
    expect(throttled.body.errors?.[0].extensions).toMatchObject({ code: 'THROTTLED', cost: ESTIMATE, available: 10, maximum: 40, retryAfterSeconds: 5 });
    expect(mesh.productCalls()).toBe(callsBefore);
  });

  it('reports the throttled budget in extensions.cost', async () => {
    const [first, second] = await twoGateways('report:');
    await post(first);
    await post(second);

    const throttled = await post(first);
    expect(throttled.body.extensions?.cost).toEqual({
      estimated: ESTIMATE,
      actual: null,
      bySubgraph: {},
      budget: { maximumAvailable: 40, currentlyAvailable: 10, restoreRate: 1 },
    });
  });

  it('reports estimate, actual cost and budget of an admitted operation', async () => {
    const [first] = await twoGateways('admitted:');
    const { status, body } = await post(first);

    // Entity fetches to reviews count the 2 Product representations again: 2 × (2 + 4 × 1) = 12.
    expect(status).toBe(200);
    expect(body.extensions?.cost).toEqual({
      estimated: ESTIMATE,
      actual: ESTIMATE,
      bySubgraph: { catalog: { estimated: 7, actual: 7 }, reviews: { estimated: 12, actual: 12 } },
      budget: { maximumAvailable: 40, currentlyAvailable: 40 - ESTIMATE, restoreRate: 1 },
    });
  });

  it('keeps an authenticated caller apart from an anonymous one at the same address', async () => {
    const [first, second] = await twoGateways('principal:');
    await post(first);
    await post(first);
    const anonymous = await post(second);

    const authenticated = await post(second, 'ada');

    // The anonymous caller of 127.0.0.1 is throttled, while ada's own bucket is full: 40 − 15 = 25.
    expect(anonymous.status).toBe(429);
    expect(authenticated.status).toBe(200);
    expect(authenticated.body.errors).toBeUndefined();
    expect(authenticated.body.extensions?.cost?.budget?.currentlyAvailable).toBe(40 - ESTIMATE);
  });

  it('shares one principal bucket between both gateways', async () => {
    const [first, second] = await twoGateways('shared-principal:');
    await post(first, 'ada');
    await post(second, 'ada');

    const third = await post(first, 'ada');
    const anonymous = await post(first);

    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe('5');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.extensions?.cost?.budget?.currentlyAvailable).toBe(40 - ESTIMATE);
  });
});

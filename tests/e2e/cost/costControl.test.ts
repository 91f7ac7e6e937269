import { postGraphQL, startTestMesh, type TestMesh } from '../../support/mesh.js';
import { startCostTestGateway, type CostTestGateway } from './testGateway.js';

/**
 * The example query: ten flights with their origin airport's name, which the warehouse resolves.
 * Estimate by hand from schema/supergraph.graphql:
 *   Query.flights @cost(weight: 10) + FlightConnection (object, default weight 1)   = 11
 *   nodes: 10 (first: 10, @listSize slicing argument) × Flight @cost(weight: 2)      = 20
 *   origin: 10 × Airport @cost(weight: 1)                                            = 10
 *   scalars (id, delay, iata, name) weigh 0                                          =  0
 *   total                                                                            = 41
 * Per subgraph, the lake fetch selects the same shape with `origin { iata }` (41), and the
 * warehouse fetch is `_entities` for the 10 origins the lake fetch is estimated to return, each an
 * Airport of weight 1 (10).
 */
const EXAMPLE = '{ flights(first: 10) { nodes { id delay origin { iata name } } } }';
const EXAMPLE_ESTIMATE = 11 + 20 + 10;
const LAKE_ESTIMATE = 41;
const WAREHOUSE_ESTIMATE = 10;

/** `first: 1000` nested three deep: 1000 airports × 1000 departures × their origin's 1000 departures. */
const NESTED = '{ airports(first: 1000) { nodes { departures(first: 1000) { nodes { origin { departures(first: 1000) { nodes { id } } } } } } } }';

/** 600 flights: 10 + 1 + 600 × 2 = 1211, above the default maximum of 1000, and the lake contains that many rows. */
const OVER_MAXIMUM = '{ flights(first: 600) { nodes { id } } }';
const OVER_MAXIMUM_ESTIMATE = 10 + 1 + 600 * 2;

interface CostExtension {
  estimated: number | null;
  actual: number | null;
  bySubgraph: Record<string, { estimated: number; actual?: number }>;
  budget: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | null;
}

let mesh: TestMesh;
const gateways: CostTestGateway[] = [];

beforeAll(async () => {
  mesh = await startTestMesh({ cost: { maxCost: 1000 }, budget: { maximum: 1_000_000, restoreRate: 1000 } });
}, 180_000);

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await mesh?.stop();
});

function subgraphUrls(): Map<string, string> {
  return new Map(['lake', 'warehouse'].map((name) => [name, `${mesh.serviceUrl(name)}/graphql`]));
}

async function testGateway(overrides: Parameters<typeof startCostTestGateway>[1], clock?: () => number): Promise<CostTestGateway> {
  const gateway = await startCostTestGateway(subgraphUrls(), overrides, clock);
  gateways.push(gateway);
  return gateway;
}

async function lakeStatements(): Promise<number> {
  const text = await (await fetch(`${mesh.serviceUrl('lake')}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('meshgate_backend_statements_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

function costOf(body: { extensions?: Record<string, unknown> }): CostExtension {
  return body.extensions?.cost as CostExtension;
}

describe('cost control on the mesh gateway', () => {
  it('reports the hand-computed estimate of the example query', async () => {
    const { status, body } = await postGraphQL(mesh.graphqlUrl, EXAMPLE);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(costOf(body).estimated).toBe(EXAMPLE_ESTIMATE);
  });

  it('measures the actual cost of ten returned flights', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, EXAMPLE);
    const nodes = (body.data?.flights as { nodes: unknown[] }).nodes;
    expect(nodes).toHaveLength(10);
    expect(costOf(body).actual).toBe(EXAMPLE_ESTIMATE);
  });

  it('reports the budget after the charge', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, EXAMPLE);
    const budget = costOf(body).budget;
    expect(budget?.maximumAvailable).toBe(1_000_000);
    expect(budget?.restoreRate).toBe(1000);
    expect(budget?.currentlyAvailable).toBeLessThanOrEqual(1_000_000 - EXAMPLE_ESTIMATE);
  });

  it('rejects first: 1000 nested three deep before any subgraph call', async () => {
    const before = await lakeStatements();
    const { status, body } = await postGraphQL(mesh.graphqlUrl, NESTED);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(body.errors?.[0].extensions?.maximum).toBe(1000);
    expect(body.errors?.[0].extensions?.estimated).toBeGreaterThan(1000 ** 3);
    expect(await lakeStatements()).toBe(before);
  });

  it('names estimate and maximum in the rejection message', async () => {
    const { body } = await postGraphQL(mesh.graphqlUrl, OVER_MAXIMUM);
    expect(body.errors?.[0].message).toBe(`The estimated cost of the operation is ${OVER_MAXIMUM_ESTIMATE}, above the maximum of 1000.`);
    expect(costOf(body).estimated).toBe(OVER_MAXIMUM_ESTIMATE);
  });

  it.each([
    // airports, nodes, 5 × (departures, nodes, origin), iata: 2 + 15 + 1 = 18 levels.
    ['MAX_DEPTH_EXCEEDED', `{ airports(first: 1) { nodes ${'{ departures(first: 1) { nodes { origin '.repeat(5)}{ iata }${' } } }'.repeat(5)} } }`, 15, 18],
    ['MAX_ALIASES_EXCEEDED', `{ flights(first: 1) { ${Array.from({ length: 31 }, (_, index) => `a${index}: totalCount`).join(' ')} } }`, 30, 31],
    ['MAX_ROOT_FIELDS_EXCEEDED', `{ ${'datasets { name } '.repeat(21)}}`, 20, 21],
    // 23 punctuators and names plus 4980 list items; commas are not tokens.
    ['MAX_TOKENS_EXCEEDED', `{ flights(first: 1, where: { delay: { in: [${Array.from({ length: 4980 }, (_, index) => index).join(', ')}] } }) { totalCount } }`, 5000, 5003],
    // A comment is not a token but is part of the document: 23 bytes of query, then 70 000 of comment.
    ['MAX_DOCUMENT_SIZE_EXCEEDED', `{ datasets { name } } #${'x'.repeat(70_000)}`, 65_536, 23 + 70_000],
  ])('rejects %s with its limit and the value found', async (code, query, limit, found) => {
    const before = await lakeStatements();
    const { status, body } = await postGraphQL(mesh.graphqlUrl, query);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe(code);
    expect(body.errors?.[0].extensions?.limit).toBe(limit);
    expect(body.errors?.[0].extensions?.found).toBe(found);
    expect(await lakeStatements()).toBe(before);
  });

  it('serves Prometheus metrics and autoscaling hints', async () => {
    const metrics = await fetch(`${mesh.mesh.gateway.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('meshgate_cost_actual_total');
    const hints = await fetch(`${mesh.mesh.gateway.url}/autoscaling`);
    expect(hints.status).toBe(200);
    expect(await hints.json()).toHaveProperty('subgraphs');
  });
});

describe('per-subgraph cost', () => {
  it('splits the example estimate between lake and warehouse', async () => {
    const gateway = await testGateway({ budget: { maximum: 1_000_000 } });
    const { body } = await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    expect(costOf(body).bySubgraph).toEqual({
      lake: { estimated: LAKE_ESTIMATE, actual: LAKE_ESTIMATE },
      warehouse: { estimated: WAREHOUSE_ESTIMATE, actual: WAREHOUSE_ESTIMATE },
    });
  });

  it('skips only the fetches of a subgraph over its maximum', async () => {
    const gateway = await testGateway({ budget: { maximum: 1_000_000 }, cost: { subgraphs: { warehouse: { maxCost: 5 } } } });
    const { status, body } = await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    expect(status).toBe(200);
    const nodes = (body.data?.flights as { nodes: Array<{ origin: { iata: string; name: string | null } }> }).nodes;
    expect(nodes).toHaveLength(10);
    expect(nodes.every((node) => node.origin.name === null && node.origin.iata.length > 0)).toBe(true);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE', subgraph: 'warehouse', estimated: WAREHOUSE_ESTIMATE, maximum: 5 });
    expect(gateway.fetches.get('warehouse')).toBeUndefined();
    expect(gateway.fetches.get('lake')).toBe(1);
  });
});

describe('cost budget', () => {
  it('drains, throttles with a retry time, and restores with the clock', async () => {
    let now = 1_000_000;
    const gateway = await testGateway({ budget: { maximum: 100, restoreRate: 10 } }, () => now);

    const first = await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    expect(costOf(first.body).budget?.currentlyAvailable).toBe(100 - 41);
    const second = await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    expect(costOf(second.body).budget?.currentlyAvailable).toBe(100 - 41 - 41);

    const fetchesBefore = gateway.fetches.get('lake');
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: EXAMPLE }) });
    const throttled = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    // 18 points left, 41 needed, 10 restored per second: ceil(23 / 10) = 3 seconds.
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(throttled.errors[0].extensions).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 3, available: 18, cost: 41 });
    expect(gateway.fetches.get('lake')).toBe(fetchesBefore);

    now += 3000;
    const restored = await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    expect(restored.status).toBe(200);
    expect(costOf(restored.body).budget?.currentlyAvailable).toBe(18 + 30 - 41);
  });

  it('charges nothing for variables that do not coerce', async () => {
    const now = 1_000_000;
    const gateway = await testGateway({ budget: { maximum: 100, restoreRate: 10 } }, () => now);
    const query = 'query ($from: LocalDateTime) { flights(first: 10, where: { date: { gte: $from } }) { nodes { id delay origin { iata name } } } }';

    const rejected = await postGraphQL(gateway.graphqlUrl, query, { from: '2001-13-45T00:00:00' });
    const accepted = await postGraphQL(gateway.graphqlUrl, query, { from: '2001-03-01T00:00:00' });

    expect(rejected.status).toBe(400);
    expect(rejected.body.errors?.[0].message).toContain('LocalDateTime cannot represent "2001-13-45T00:00:00"');
    // Only the accepted request is charged, with its own estimate.
    const estimated = costOf(accepted.body).estimated as number;
    expect(estimated).toBeGreaterThan(0);
    expect(costOf(accepted.body).budget?.currentlyAvailable).toBe(100 - estimated);
  });
});

describe('measure mode', () => {
  it('lets an operation over the maximum through and reports its cost', async () => {
    const gateway = await testGateway({ cost: { mode: 'measure' }, budget: { maximum: 1_000_000 } });
    const { status, body } = await postGraphQL(gateway.graphqlUrl, OVER_MAXIMUM);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data?.flights as { nodes: unknown[] }).nodes).toHaveLength(600);
    expect(costOf(body).estimated).toBe(OVER_MAXIMUM_ESTIMATE);
    expect(costOf(body).actual).toBe(OVER_MAXIMUM_ESTIMATE);
  });
});

describe('autoscaling hints', () => {
  it('raises the lake replica hint with load', async () => {
    const now = 5_000_000;
    const autoscaling = { subgraphs: { lake: { capacityPerReplica: 1, minReplicas: 1, maxReplicas: 20 } }, windowSeconds: 60 };
    const gateway = await testGateway({ budget: { maximum: 1_000_000 }, autoscaling }, () => now);
    const replicas = async () => ((await (await fetch(`${gateway.url}/autoscaling`)).json()) as { subgraphs: { lake: { desiredReplicas: number } } }).subgraphs.lake.desiredReplicas;

    await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    // 41 cost points in a 60 s window at 1 point per second per replica: ceil(41 / 60) = 1.
    expect(await replicas()).toBe(1);
    for (let request = 0; request < 9; request += 1) await postGraphQL(gateway.graphqlUrl, EXAMPLE);
    // 10 × 41 = 410 points: ceil(410 / 60) = ceil(6.83) = 7.
    expect(await replicas()).toBe(7);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('meshgate_desired_replicas{subgraph="lake"} 7');
  });
});

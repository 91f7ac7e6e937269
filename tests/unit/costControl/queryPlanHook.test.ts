import { composeServices } from '@apollo/composition';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';

import { validateConfig, type ConfigInput } from '../../../core/config/index.js';
import { createLogger } from '../../../core/logger.js';
import { createCostControl, didResolveQueryPlan } from '../../../gateway/costControl/index.js';
import { executedReport, rejectedReport } from '../../../gateway/costControl/costReport.js';
import { attachRequestCost, type RequestCost } from '../../../gateway/costControl/requestCost.js';

const catalog = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  type Query { products(first: Int = 5): [Product!]! @listSize(slicingArguments: ["first"]) @cost(weight: 3) }
  type Product @key(fields: "id") @cost(weight: 2) { id: ID! name: String }
`;
const reviews = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Product @key(fields: "id") { id: ID! reviews: [Review!]! @listSize(assumedSize: 4) }
  type Review { body: String }
`;

/**
 * Two products with their reviews, priced by hand:
 *   catalog: products @cost(weight: 3), then 2 products (first: 2) × Product weight 2   = 3 + 4 = 7
 *   reviews: 2 Product representations × (Product weight 2 + 4 reviews × Review 1)     = 2 × 6 = 12
 */
const QUERY = '{ products(first: 2) { name reviews { body } } }';
const CATALOG_ESTIMATE = 3 + 2 * 2;
const REVIEWS_ESTIMATE = 2 * (2 + 4 * 1);

function composeSupergraph(): string {
  const result = composeServices([
    { name: 'catalog', typeDefs: parse(catalog), url: 'http://127.0.0.1:4001/graphql' },
    { name: 'reviews', typeDefs: parse(reviews), url: 'http://127.0.0.1:4002/graphql' },
  ]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
}

const supergraphSdl = composeSupergraph();

function planOf(query: string): QueryPlan {
  const supergraph = Supergraph.build(supergraphSdl);
  return new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
}

/** Builds the cost state the plugin attaches before execution, for a gateway configured by `overrides`. */
function requestCost(overrides: ConfigInput, variables: Record<string, unknown> = {}): { context: object; cost: RequestCost } {
  const config = validateConfig({ ...overrides, gateway: { port: 0 } });
  const control = createCostControl({ config, supergraphSdl, logger: createLogger({ level: 'silent' }), defaultMetrics: false });
  const cost: RequestCost = { runtime: control.runtime, variables, estimated: 19, bySubgraph: new Map(), rejections: new Map(), budget: null };
  const context = {};
  attachRequestCost(context, cost);
  return { context, cost };
}

function resolvePlan(context: object, queryPlan: QueryPlan): void {
  const requestContext = { context } as unknown as Parameters<typeof didResolveQueryPlan>[0]['requestContext'];
  didResolveQueryPlan({ queryPlan, requestContext } as Parameters<typeof didResolveQueryPlan>[0]);
}

describe('didResolveQueryPlan', () => {
  it('prices the fetches of each subgraph', () => {
    const { context, cost } = requestCost({});
    resolvePlan(context, planOf(QUERY));
    expect(Object.fromEntries(cost.bySubgraph)).toEqual({
      catalog: { estimated: CATALOG_ESTIMATE },
      reviews: { estimated: REVIEWS_ESTIMATE },
    });
  });

  it('rejects no subgraph without maxima', () => {
    const { context, cost } = requestCost({});
    resolvePlan(context, planOf(QUERY));
    expect(cost.rejections.size).toBe(0);
  });

  it('allows a subgraph estimated at its maximum', () => {
    const { context, cost } = requestCost({ cost: { subgraphs: { reviews: { maxCost: REVIEWS_ESTIMATE } } } });
    resolvePlan(context, planOf(QUERY));
    expect(cost.rejections.has('reviews')).toBe(false);
  });

  it('rejects only the subgraph over its maximum', () => {
    const { context, cost } = requestCost({ cost: { subgraphs: { reviews: { maxCost: REVIEWS_ESTIMATE - 1 } } } });
    resolvePlan(context, planOf(QUERY));
    expect([...cost.rejections.keys()]).toEqual(['reviews']);
  });

  it('names subgraph, estimate and maximum in the rejection', () => {
    const { context, cost } = requestCost({ cost: { subgraphs: { reviews: { maxCost: 11 } } } });
    resolvePlan(context, planOf(QUERY));
    const rejection = cost.rejections.get('reviews');
    expect(rejection?.message).toBe('The estimated cost of the fetches to subgraph "reviews" is 12, above its maximum of 11.');
    // No `http` entry: the other subgraphs' data is still returned, so the request is not rejected.
    expect(rejection?.extensions).toEqual({ code: 'SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE', subgraph: 'reviews', estimated: 12, maximum: 11 });
  });

  it('only prices in measure mode', () => {
    const { context, cost } = requestCost({ cost: { mode: 'measure', subgraphs: { reviews: { maxCost: 1 } } } });
    resolvePlan(context, planOf(QUERY));
    expect(cost.rejections.size).toBe(0);
    expect(cost.bySubgraph.get('reviews')).toEqual({ estimated: REVIEWS_ESTIMATE });
  });

  it('sizes entity fetches from slicing variables', () => {
    const { context, cost } = requestCost({}, { n: 3 });
    resolvePlan(context, planOf('query ($n: Int) { products(first: $n) { reviews { body } } }'));
    // catalog: 3 + 3 × 2; reviews: 3 × (2 + 4).
    expect(Object.fromEntries(cost.bySubgraph)).toEqual({ catalog: { estimated: 9 }, reviews: { estimated: 18 } });
  });

  it('ignores a request the cost plugin did not see', () => {
    const context = {};
    expect(() => resolvePlan(context, planOf(QUERY))).not.toThrow();
  });
});

describe('extensions.cost', () => {
  it('reports estimate, actual and each subgraph after execution', () => {
    const { context, cost } = requestCost({});
    resolvePlan(context, planOf(QUERY));
    expect(executedReport(cost, 17)).toEqual({
      estimated: 19,
      actual: 17,
      bySubgraph: { catalog: { estimated: CATALOG_ESTIMATE }, reviews: { estimated: REVIEWS_ESTIMATE } },
      budget: null,
    });
  });

  it('reports the budget in throttleStatus form', () => {
    const { cost } = requestCost({});
    const budget = { maximumAvailable: 100, currentlyAvailable: 81, restoreRate: 10 };
    expect(executedReport({ ...cost, budget }, null).budget).toEqual(budget);
  });

  it('reports nulls and no subgraphs for an operation rejected by a limit', () => {
    expect(rejectedReport(null)).toEqual({ estimated: null, actual: null, bySubgraph: {}, budget: null });
  });

  it('reports the estimate of an operation rejected over the maximum', () => {
    expect(rejectedReport(1211)).toEqual({ estimated: 1211, actual: null, bySubgraph: {}, budget: null });
  });
});

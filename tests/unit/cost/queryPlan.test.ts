import { composeServices } from '@apollo/composition';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';

import { estimateQueryPlan } from '../../../gateway/cost/queryPlan.js';
import { loadSubgraphCostSchemas } from '../../../gateway/cost/schema.js';

const catalog = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  type Query { products(first: Int = 5): [Product!]! @listSize(slicingArguments: ["first"]) @cost(weight: 3) }
  type Product @key(fields: "id") @cost(weight: 2) { id: ID! name: String }
`;
const reviews = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Product @key(fields: "id") { id: ID! reviews: [Review!]! @listSize(assumedSize: 4) }
  type Review { body: String author: User }
  type User { name: String }
`;

function planFor(query: string) {
  const result = composeServices([
    { name: 'catalog', typeDefs: parse(catalog), url: 'http://127.0.0.1:4001/graphql' },
    { name: 'reviews', typeDefs: parse(reviews), url: 'http://127.0.0.1:4002/graphql' },
  ]);
  if (result.errors) throw result.errors[0];
  const supergraph = Supergraph.build(result.supergraphSdl);
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
  return { plan, schemas: loadSubgraphCostSchemas(result.supergraphSdl) };
}

describe('estimateQueryPlan', () => {
  it('sizes an entity fetch by the parent list', () => {
    const { plan, schemas } = planFor('{ products(first: 3) { name reviews { body author { name } } } }');
    const cost = estimateQueryPlan(plan, schemas);
    // catalog: 3 once + 3 products × 2. reviews: 3 entities × (Product 2 + 4 reviews × (1 + author 1)).
    expect(cost.bySubgraph).toEqual({ catalog: 3 + 3 * 2, reviews: 3 * (2 + 4 * 2) });
    expect(cost.estimated).toBe(9 + 30);
  });

  it('sizes entities from a slicing variable', () => {
    const { plan, schemas } = planFor('query ($n: Int) { products(first: $n) { reviews { body } } }');
    const cost = estimateQueryPlan(plan, schemas, { n: 2 });
    expect(cost.bySubgraph).toEqual({ catalog: 3 + 2 * 2, reviews: 2 * (2 + 4) });
  });

  it('counts the larger branch of a condition', () => {
    const { plan, schemas } = planFor('query ($r: Boolean!) { products(first: 2) { name reviews @include(if: $r) { body } } }');
    expect(JSON.stringify(plan)).toContain('"Condition"');
    const whenIncluded = 3 + 2 * 2 + 2 * (2 + 4);
    expect(estimateQueryPlan(plan, schemas, { r: false }).estimated).toBe(whenIncluded);
  });

  it('rejects a fetch to an unknown subgraph', () => {
    const { plan } = planFor('{ products(first: 1) { name } }');
    expect(() => estimateQueryPlan(plan, new Map())).toThrow(
      'The query plan fetches from subgraph "catalog", which has no schema for cost estimation.',
    );
  });
});

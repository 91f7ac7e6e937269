import { GraphQLError } from 'graphql';

import { createCostEstimator, stableStringify } from '../../../gateway/cost/cache.js';
import { plainSchema } from './helpers.js';

describe('createCostEstimator', () => {
  const schema = plainSchema(`
    type Query { items(first: Int): [Item] @listSize(slicingArguments: ["first"]) }
    type Item { id: ID }
  `);
  const query = 'query ($n: Int) { items(first: $n) { id } }';

  it('returns the cached estimate for a repeated operation', () => {
    const estimator = createCostEstimator(schema);
    const first = estimator.estimate(query, { variables: { n: 3 } });
    const second = estimator.estimate(query, { variables: { n: 3 } });
    expect(second).toBe(first);
    expect(estimator.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('keys the cache by variables', () => {
    const estimator = createCostEstimator(schema);
    expect(estimator.estimate(query, { variables: { n: 3 } }).estimated).toBe(3);
    expect(estimator.estimate(query, { variables: { n: 8 } }).estimated).toBe(8);
    expect(estimator.stats.misses).toBe(2);
  });

  it('drops the least recently used entry', () => {
    const estimator = createCostEstimator(schema, { cacheSize: 1 });
    estimator.estimate(query, { variables: { n: 1 } });
    estimator.estimate(query, { variables: { n: 2 } });
    estimator.estimate(query, { variables: { n: 1 } });
    expect(estimator.stats).toEqual({ hits: 0, misses: 3 });
  });

  it('rejects an invalid document', () => {
    expect.assertions(2);
    try {
      createCostEstimator(schema).estimate('{ missing }');
    } catch (error) {
      expect((error as GraphQLError).extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((error as GraphQLError).message).toBe('Cannot query field "missing" on type "Query".');
    }
  });

  it('rejects a wrong cache size', () => {
    expect(() => createCostEstimator(schema, { cacheSize: 0 })).toThrow('cost.cacheSize must be a positive integer, found 0.');
  });
});

describe('stableStringify', () => {
  it('ignores key order', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

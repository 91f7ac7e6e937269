import { GraphQLError } from 'graphql';

import {
  assertEstimateWithinMaximum,
  assertSubgraphEstimateWithinMaximum,
  operationLimitError,
  throttledError,
} from '../../../gateway/cost/rejections.js';

function caught(run: () => void): GraphQLError {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected an error');
}

describe('cost rejections', () => {
  it('accepts an estimate equal to the maximum', () => {
    expect(() => assertEstimateWithinMaximum(100, 100)).not.toThrow();
  });

  it('rejects an estimate above the maximum', () => {
    const error = caught(() => assertEstimateWithinMaximum(120, 100));
    expect(error.message).toBe('The estimated cost of the operation is 120, above the maximum of 100.');
    expect(error.extensions).toMatchObject({ code: 'COST_ESTIMATED_TOO_EXPENSIVE', estimated: 120, maximum: 100 });
  });

  it('rejects a subgraph above its maximum', () => {
    const error = caught(() => assertSubgraphEstimateWithinMaximum('lake', 30, 20));
    expect(error.message).toBe('The estimated cost of the fetches to subgraph "lake" is 30, above its maximum of 20.');
    expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE', subgraph: 'lake', estimated: 30, maximum: 20 });
  });

  it('throttles with HTTP 429', () => {
    const error = throttledError(30);
    expect(error.message).toBe('The cost budget of the caller is spent. Retry after 30 seconds.');
    expect(error.extensions).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 30, http: { status: 429 } });
  });

  it.each([
    ['depth', 'MAX_DEPTH_EXCEEDED', 'The operation has a depth of 12, above the limit of 10.'],
    ['aliases', 'MAX_ALIASES_EXCEEDED', 'The operation has 12 aliases, above the limit of 10.'],
    ['rootFields', 'MAX_ROOT_FIELDS_EXCEEDED', 'The operation has 12 root fields, above the limit of 10.'],
    ['tokens', 'MAX_TOKENS_EXCEEDED', 'The operation has 12 tokens, above the limit of 10.'],
    ['documentSize', 'MAX_DOCUMENT_SIZE_EXCEEDED', 'The operation has 12 bytes, above the limit of 10.'],
  ] as const)('reports the %s limit', (limit, code, message) => {
    const error = operationLimitError(limit, 10, 12);
    expect(error.message).toBe(message);
    expect(error.extensions).toMatchObject({ code, limit: 10, found: 12, http: { status: 400 } });
  });
});

import { resolvePageSize } from '../../../subgraphs/kit/pagination.js';
import { graphQLErrorOf } from './tables.js';

const limits = { defaultPageSize: 10, maxPageSize: 100 };

describe('resolvePageSize', () => {
  it('uses the default page size without first', () => {
    expect(resolvePageSize(undefined, limits, 'Query.flights')).toBe(10);
  });

  it('uses the default page size when first is null', () => {
    expect(resolvePageSize(null, limits, 'Query.flights')).toBe(10);
  });

  it('accepts first 0', () => {
    expect(resolvePageSize(0, limits, 'Query.flights')).toBe(0);
  });

  it('accepts first equal to the maximum', () => {
    expect(resolvePageSize(100, limits, 'Query.flights')).toBe(100);
  });

  it('rejects a negative first with INVALID_PAGE_SIZE', () => {
    const error = graphQLErrorOf(() => resolvePageSize(-1, limits, 'Query.flights'));

    expect(error.message).toBe('first must be 0 or more on Query.flights; found -1.');
    expect(error.extensions.code).toBe('INVALID_PAGE_SIZE');
  });

  it('rejects first above the maximum with PAGE_SIZE_TOO_LARGE', () => {
    const error = graphQLErrorOf(() => resolvePageSize(101, limits, 'Query.flights'));

    expect(error.message).toBe('first is 101 on Query.flights, above the maximum page size of 100; request at most 100 rows and page with after.');
    expect(error.extensions.code).toBe('PAGE_SIZE_TOO_LARGE');
    expect(error.extensions.maximum).toBe(100);
  });
});

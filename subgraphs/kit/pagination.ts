import { errors } from '../../core/errors/index.js';

export interface PaginationLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

/**
 * Checks a requested `first` against the limits and returns the page size to use.
 *
 * @throws INVALID_PAGE_SIZE when negative, PAGE_SIZE_TOO_LARGE above the maximum.
 */
export function resolvePageSize(
  first: number | null | undefined,
  limits: PaginationLimits,
  coordinate: string,
  unit: 'rows' | 'groups' = 'rows',
): number {
  if (first === null || first === undefined) return limits.defaultPageSize;
  if (first < 0) throw errors.INVALID_PAGE_SIZE.error(`first must be 0 or more on ${coordinate}; found ${first}.`, { requested: first });
  if (first > limits.maxPageSize) {
    throw errors.PAGE_SIZE_TOO_LARGE.error(
      unit === 'rows'
        ? `first is ${first} on ${coordinate}, above the maximum page size of ${limits.maxPageSize}; request at most ${limits.maxPageSize} rows and page with after.`
        : `first is ${first} on ${coordinate}, above the maximum of ${limits.maxPageSize} groups; request at most ${limits.maxPageSize} groups, or group by fewer fields or narrow where.`,
      { requested: first, maximum: limits.maxPageSize },
    );
  }
  return first;
}

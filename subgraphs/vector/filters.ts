import type { MetadataFilter } from './index/index.js';

/** A `StringCondition` or `IntCondition` of the GraphQL `SearchFilter`. */
export interface FieldCondition {
  readonly eq?: string | number | null;
  readonly in?: ReadonlyArray<string | number> | null;
  readonly gt?: number | null;
  readonly gte?: number | null;
  readonly lt?: number | null;
  readonly lte?: number | null;
}

export type SearchFilterInput = Readonly<Record<string, FieldCondition | null | undefined>>;

const RANGE_BOUNDS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * Turns a `SearchFilter` into the index's metadata filters: one filter per operator, so
 * `{ year: { gte: 1900, lt: 1950 } }` becomes one range filter and `{ eq, in }` two filters that both hold.
 */
export function toMetadataFilters(where: SearchFilterInput | null | undefined): MetadataFilter[] {
  const filters: MetadataFilter[] = [];
  for (const [field, condition] of Object.entries(where ?? {})) {
    if (condition === null || condition === undefined) {
      continue;
    }
    if (condition.eq !== undefined && condition.eq !== null) {
      filters.push({ field, eq: condition.eq });
    }
    if (condition.in !== undefined && condition.in !== null) {
      filters.push({ field, in: [...condition.in] });
    }
    const range = Object.fromEntries(RANGE_BOUNDS.filter((bound) => typeof condition[bound] === 'number').map((bound) => [bound, condition[bound]]));
    if (Object.keys(range).length > 0) {
      filters.push({ field, range });
    }
  }
  return filters;
}

import type { MetadataFilter } from '../../index/index.js';

export type QueryClause = Record<string, unknown>;

/** Translates metadata filters to Elasticsearch filter clauses on `metadata.<field>`; every clause must hold. */
export function toFilterClauses(filters: readonly MetadataFilter[]): QueryClause[] {
  return filters.map((filter) => {
    const field = `metadata.${filter.field}`;
    if (filter.in !== undefined) {
      return { terms: { [field]: filter.in } };
    }
    if (filter.range !== undefined) {
      return { range: { [field]: filter.range } };
    }
    return filter.eq === null ? { bool: { must_not: { exists: { field } } } } : { term: { [field]: filter.eq } };
  });
}

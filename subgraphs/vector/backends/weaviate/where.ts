import type { WhereFilter } from 'weaviate-ts-client';
import type { MetadataFilter, MetadataValue } from '../../index/index.js';

/** Translates metadata filters to a Weaviate `where` filter; every filter must hold. */
export function toWhereFilter(filters: readonly MetadataFilter[]): WhereFilter {
  return { operator: 'And', operands: filters.map(toOperand) };
}

/** Matches the objects of the given document ids. */
export function documentIdFilter(ids: readonly string[]): WhereFilter {
  return { operator: 'Or', operands: ids.map((id) => ({ path: ['docId'], operator: 'Equal', valueText: id })) };
}

function toOperand(filter: MetadataFilter): WhereFilter {
  if (filter.in !== undefined) {
    return { operator: 'Or', operands: filter.in.map((value) => equal(filter.field, value)) };
  }
  if (filter.range !== undefined) {
    const operators = { gt: 'GreaterThan', gte: 'GreaterThanEqual', lt: 'LessThan', lte: 'LessThanEqual' } as const;
    const operands = Object.entries(filter.range).map(([bound, value]) => ({ path: [filter.field], operator: operators[bound as keyof typeof operators], valueNumber: value as number }));
    return { operator: 'And', operands };
  }
  return equal(filter.field, filter.eq ?? null);
}

/** `IsNull` needs the class's `invertedIndexConfig.indexNullState`, which the index writer sets. */
function equal(field: string, value: MetadataValue): WhereFilter {
  if (value === null) {
    return { path: [field], operator: 'IsNull', valueBoolean: true };
  }
  if (typeof value === 'number') {
    return { path: [field], operator: 'Equal', valueNumber: value };
  }
  if (typeof value === 'boolean') {
    return { path: [field], operator: 'Equal', valueBoolean: value };
  }
  return { path: [field], operator: 'Equal', valueText: value };
}

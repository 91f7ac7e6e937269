import type { Row } from './backend.js';
import { filterScalarOf } from './generate.js';
import type { MappedField } from './model.js';
import { fieldValue } from './nodes.js';
import type { FilterInput } from './sql/filter.js';
import { aggregateAlias, COUNT_ALIAS, type AggregateFunction } from './sql/select.js';
import type { TableContext } from './sql/table.js';
import { toGraphQLValue, toInt } from './values.js';

export interface AggregateRequest {
  readonly groupBy: readonly string[];
  readonly aggregates: ReadonlyArray<{ fn: AggregateFunction; field: string }>;
  readonly limit: number;
  readonly filter?: FilterInput | null;
}

/**
 * Builds the aggregate groups of a result. Without `groupBy` there is always exactly one group, with
 * a count of 0 and null aggregates when no row matches.
 */
export function aggregateGroups(table: TableContext, request: AggregateRequest, rows: Row[]): unknown[] {
  if (rows.length === 0 && request.groupBy.length === 0) rows = [{ [COUNT_ALIAS]: 0 }];
  return rows.map((row) => aggregateGroup(table, request, row));
}

function aggregateGroup(table: TableContext, request: AggregateRequest, row: Row) {
  const type = table.type;
  const key: Record<string, unknown> = {};
  for (const name of request.groupBy) {
    key[name] = fieldValue(table.model, type, fieldNamed(table, name), row[name]);
  }
  const group: Record<string, unknown> = {
    key,
    count: toInt(row[COUNT_ALIAS], `${type.name} count`),
    sum: {},
    avg: {},
    min: {},
    max: {},
  };
  for (const { fn, field } of request.aggregates) {
    const value = row[aggregateAlias(fn, field)];
    (group[fn] as Record<string, unknown>)[field] = aggregateValue(table, fn, fieldNamed(table, field), value);
  }
  return group;
}

function fieldNamed(table: TableContext, name: string): MappedField {
  return table.type.fields.find((field) => field.name === name) as MappedField;
}

function aggregateValue(table: TableContext, fn: AggregateFunction, field: MappedField, value: unknown): unknown {
  const coordinate = `${table.type.name}.${field.name}`;
  if (value === null || value === undefined) return null;
  if (fn === 'avg') return Number(value);
  const scalar = filterScalarOf(table.model, field);
  if (fn === 'sum') return toGraphQLValue(value, scalar === 'Int' ? 'BigInt' : scalar, coordinate);
  return toGraphQLValue(value, scalar, coordinate);
}

import { errors } from '../../../core/errors/index.js';
import { columnSql, columnType, fieldOf, nameSql, type TableContext } from './table.js';
import type { ParameterList } from './statement.js';

/** A `where` argument: field filters, combined with `and`, `or` and `not`. */
export interface FilterInput {
  and?: FilterInput[] | null;
  or?: FilterInput[] | null;
  not?: FilterInput | null;
  [field: string]: FieldFilterInput | FilterInput[] | FilterInput | null | undefined;
}

export interface FieldFilterInput {
  eq?: unknown;
  ne?: unknown;
  in?: unknown[] | null;
  notIn?: unknown[] | null;
  lt?: unknown;
  lte?: unknown;
  gt?: unknown;
  gte?: unknown;
  like?: string | null;
  isNull?: boolean | null;
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/**
 * Compiles a `where` argument to a SQL condition; an empty filter is `TRUE`. Several operators on
 * one field, and several fields in one object, are combined with AND. `ne` and `notIn` follow SQL:
 * rows whose value is null match neither (use `isNull`).
 */
export function compileFilter(table: TableContext, filter: FilterInput | null | undefined, params: ParameterList): string {
  if (!filter) return 'TRUE';
  const conditions: string[] = [];

  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and') conditions.push(combine((value as FilterInput[]).map((item) => compileFilter(table, item, params)), 'AND'));
    else if (key === 'or') conditions.push(combine((value as FilterInput[]).map((item) => compileFilter(table, item, params)), 'OR'));
    else if (key === 'not') conditions.push(`NOT (${compileFilter(table, value as FilterInput, params)})`);
    else conditions.push(compileFieldFilter(table, key, value as FieldFilterInput, params));
  }
  return combine(conditions, 'AND');
}

function combine(conditions: string[], operator: 'AND' | 'OR'): string {
  if (conditions.length === 0) return operator === 'AND' ? 'TRUE' : 'FALSE';
  if (conditions.length === 1) return conditions[0];
  return conditions.map((condition) => `(${condition})`).join(` ${operator} `);
}

function compileFieldFilter(table: TableContext, fieldName: string, filter: FieldFilterInput, params: ParameterList): string {
  const field = fieldOf(table, fieldName);
  const column = columnSql(table, field);
  const sqlType = columnType(table, field);
  const conditions: string[] = [];

  for (const [operator, operand] of Object.entries(filter)) {
    if (operand === undefined) continue;
    const coordinate = `${table.type.name}.${fieldName}`;
    if (operand === null) {
      throw errors.INVALID_FILTER.error(`Filter ${operator} on ${coordinate} has a null operand; use isNull to match null values.`, { coordinate });
    }
    if (operator in COMPARISONS) conditions.push(`${column} ${COMPARISONS[operator]} ${params.add(operand, sqlType)}`);
    else if (operator === 'in' || operator === 'notIn') conditions.push(membership(column, operator, operand as unknown[], sqlType, params));
    else if (operator === 'like') conditions.push(table.dialect.like(column, params.add(operand, table.dialect.textType)));
    else if (operator === 'isNull') conditions.push(operand ? `${column} IS NULL` : `${column} IS NOT NULL`);
    else throw errors.INVALID_FILTER.error(`Unknown filter operator "${operator}" on ${coordinate}.`, { coordinate });
  }
  return combine(conditions, 'AND');
}

function membership(column: string, operator: 'in' | 'notIn', values: unknown[], sqlType: string, params: ParameterList): string {
  if (values.length === 0) return operator === 'in' ? 'FALSE' : 'TRUE';
  const placeholders = values.map((value) => params.add(value, sqlType)).join(', ');
  return `${column} ${operator === 'in' ? 'IN' : 'NOT IN'} (${placeholders})`;
}

const PRUNING_BOUNDS: Record<string, string> = { eq: '=', gt: '>=', gte: '>=', lt: '<=', lte: '<=' };

/**
 * Derives conditions on partition columns from the filter's top-level conjuncts, so DuckDB reads only
 * the partitions that can match. Conditions under `or` and `not` are left alone: they do not bound
 * the rows as a whole.
 */
export function compilePartitionPruning(table: TableContext, filter: FilterInput | null | undefined, params: ParameterList): string[] {
  if (!filter || table.partitions.length === 0) return [];
  const conditions: string[] = [];

  for (const conjunct of conjuncts(filter)) {
    for (const rule of table.partitions) {
      const field = table.type.fields.find((candidate) => candidate.column === rule.sourceColumn);
      const fieldFilter = field ? (conjunct[field.name] as FieldFilterInput | null | undefined) : undefined;
      if (!field || !fieldFilter) continue;
      const sourceType = columnType(table, field);
      const partition = nameSql(table, rule.partitionColumn);
      for (const [operator, bound] of Object.entries(PRUNING_BOUNDS)) {
        const operand = fieldFilter[operator as keyof FieldFilterInput];
        if (operand !== undefined && operand !== null) conditions.push(`${partition} ${bound} ${rule.derive(params.add(operand, sourceType))}`);
      }
      if (Array.isArray(fieldFilter.in) && fieldFilter.in.length > 0) {
        const values = fieldFilter.in.map((value) => rule.derive(params.add(value, sourceType)));
        conditions.push(`${partition} IN (${values.join(', ')})`);
      }
    }
  }
  return conditions;
}

function conjuncts(filter: FilterInput): FilterInput[] {
  return [filter, ...(filter.and ?? []).flatMap(conjuncts)];
}

import { compileFilter, compilePartitionPruning, type FilterInput } from './filter.js';
import { cursorCondition, orderColumnsSql, orderSql, type OrderKey } from './ordering.js';
import { ParameterList, type Statement } from './statement.js';
import { columnSql, columnType, fieldOf, nameSql, type TableContext } from './table.js';

/** Restricts a query to the rows of several parents: the rows whose `field` contains one of `values`. */
export interface ParentScope {
  readonly field: string;
  readonly values: readonly unknown[];
}

export const PARENT_ALIAS = '__parent';
const RANK_ALIAS = '__rank';
export const COUNT_ALIAS = '__count';

function whereSql(table: TableContext, filter: FilterInput | null | undefined, params: ParameterList, scope?: ParentScope): string[] {
  const conditions = [compileFilter(table, filter, params), ...compilePartitionPruning(table, filter, params)];
  if (scope) {
    const field = fieldOf(table, scope.field);
    const placeholders = scope.values.map((value) => params.add(value, columnType(table, field)));
    conditions.push(`${columnSql(table, field)} IN (${placeholders.join(', ')})`);
  }
  return conditions.filter((condition) => condition !== 'TRUE');
}

function whereClause(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.map((condition) => `(${condition})`).join(' AND ')}` : '';
}

/** Selects `fields` of the table, each under its field name. */
export function selectList(table: TableContext, fields: Iterable<string>): string[] {
  return [...fields].map((name) => `${columnSql(table, fieldOf(table, name))} AS ${nameSql(table, name)}`);
}

/**
 * Selects one page of rows: `limit` rows after the cursor under `order`. With a parent scope, each
 * parent gets its own page, numbered by a window function, in one statement for the whole batch.
 */
export function pageStatement(
  table: TableContext,
  options: {
    fields: Iterable<string>;
    filter?: FilterInput | null;
    order: readonly OrderKey[];
    after?: readonly unknown[];
    limit: number;
    scope?: ParentScope;
  },
): Statement {
  const params = new ParameterList(table.dialect);
  const conditions = whereSql(table, options.filter, params, options.scope);
  if (options.after) conditions.push(cursorCondition(options.order, options.after, params));
  const columns = [...selectList(table, options.fields), ...orderColumnsSql(table, options.order)];
  const ordering = orderSql(options.order);

  if (!options.scope) {
    const sql = `SELECT ${columns.join(', ')} FROM ${table.from}${whereClause(conditions)} ORDER BY ${ordering} LIMIT ${options.limit}`;
    return { sql, params: params.values };
  }
  const parent = columnSql(table, fieldOf(table, options.scope.field));
  const ranked =
    `SELECT ${columns.join(', ')}, ${parent} AS ${nameSql(table, PARENT_ALIAS)}, ` +
    `row_number() OVER (PARTITION BY ${parent} ORDER BY ${ordering}) AS ${nameSql(table, RANK_ALIAS)} FROM ${table.from}${whereClause(conditions)}`;
  const sql = `SELECT * FROM (${ranked}) WHERE ${nameSql(table, RANK_ALIAS)} <= ${options.limit} ORDER BY ${nameSql(table, PARENT_ALIAS)}, ${nameSql(table, RANK_ALIAS)}`;
  return { sql, params: params.values };
}

/** Counts the rows matching the filter, per parent when scoped. */
export function countStatement(table: TableContext, filter: FilterInput | null | undefined, scope?: ParentScope): Statement {
  const params = new ParameterList(table.dialect);
  const where = whereClause(whereSql(table, filter, params, scope));
  if (!scope) return { sql: `SELECT count(*) AS ${nameSql(table, COUNT_ALIAS)} FROM ${table.from}${where}`, params: params.values };
  const parent = columnSql(table, fieldOf(table, scope.field));
  return {
    sql: `SELECT ${parent} AS ${nameSql(table, PARENT_ALIAS)}, count(*) AS ${nameSql(table, COUNT_ALIAS)} FROM ${table.from}${where} GROUP BY ${parent}`,
    params: params.values,
  };
}

/** Rows whose key fields equal one of `keys` (each key in the order of the type's key fields). */
export function entityStatement(table: TableContext, fields: Iterable<string>, keys: readonly unknown[][]): Statement {
  const params = new ParameterList(table.dialect);
  const keyFields = table.type.keyFields.map((name) => fieldOf(table, name));
  let condition: string;
  if (keyFields.length === 1) {
    const sqlType = columnType(table, keyFields[0]);
    condition = `${columnSql(table, keyFields[0])} IN (${keys.map((key) => params.add(key[0], sqlType)).join(', ')})`;
  } else {
    condition = keys
      .map((key) => keyFields.map((field, i) => `${columnSql(table, field)} = ${params.add(key[i], columnType(table, field))}`).join(' AND '))
      .map((conjunction) => `(${conjunction})`)
      .join(' OR ');
  }
  const names = new Set([...fields, ...table.type.keyFields]);
  return { sql: `SELECT ${selectList(table, names).join(', ')} FROM ${table.from} WHERE ${condition}`, params: params.values };
}

export type AggregateFunction = 'sum' | 'avg' | 'min' | 'max';

/** Alias of an aggregate value in result rows, such as `sum__delay`. */
export function aggregateAlias(fn: AggregateFunction, field: string): string {
  return `${fn}__${field}`;
}

/**
 * Groups of rows with their count and the requested aggregates, ordered by the group fields. With a
 * parent scope the groups are per parent, and `limit` applies to each parent's groups.
 */
export function aggregateStatement(
  table: TableContext,
  options: {
    filter?: FilterInput | null;
    groupBy: readonly string[];
    aggregates: ReadonlyArray<{ fn: AggregateFunction; field: string }>;
    limit: number;
    scope?: ParentScope;
  },
): Statement {
  const params = new ParameterList(table.dialect);
  const where = whereClause(whereSql(table, options.filter, params, options.scope));
  const groupColumns = options.groupBy.map((name) => columnSql(table, fieldOf(table, name)));
  const parent = options.scope ? columnSql(table, fieldOf(table, options.scope.field)) : undefined;

  const columns = [
    ...(parent ? [`${parent} AS ${nameSql(table, PARENT_ALIAS)}`] : []),
    ...selectList(table, options.groupBy),
    `count(*) AS ${nameSql(table, COUNT_ALIAS)}`,
    ...options.aggregates.map(({ fn, field }) => `${fn}(${columnSql(table, fieldOf(table, field))}) AS ${nameSql(table, aggregateAlias(fn, field))}`),
  ];
  const grouping = [...(parent ? [parent] : []), ...groupColumns];
  const groupBy = grouping.length ? ` GROUP BY ${grouping.join(', ')}` : '';
  const groupOrder = groupColumns.map((column) => `${column} ASC NULLS LAST`).join(', ');
  const qualify = parent && groupColumns.length ? ` QUALIFY row_number() OVER (PARTITION BY ${parent} ORDER BY ${groupOrder}) <= ${options.limit}` : '';
  const orderBy = [...(parent ? [parent] : []), ...(groupOrder ? [groupOrder] : [])].join(', ');
  const limit = parent ? '' : ` LIMIT ${options.limit}`;

  const sql = `SELECT ${columns.join(', ')} FROM ${table.from}${where}${groupBy}${qualify}${orderBy ? ` ORDER BY ${orderBy}` : ''}${limit}`;
  return { sql, params: params.values };
}

import { createHash } from 'node:crypto';
import { errors } from '../../../core/errors/index.js';
import type { ParameterList } from './statement.js';
import { columnSql, columnType, fieldOf, nameSql, type TableContext } from './table.js';

export type SortDirection = 'ASC' | 'DESC';
export type OrderByInput = Record<string, SortDirection | null | undefined>;

/** One key of a total ordering: a column, its type and direction. */
export interface OrderKey {
  readonly field: string;
  readonly column: string;
  readonly sqlType: string;
  readonly direction: SortDirection;
  /** Name of the value in result rows, for building the next cursor. */
  readonly alias: string;
}

/**
 * Resolves `orderBy` into a total order: the requested keys, then the type's key fields ascending,
 * so that rows with equal sort values always come in the same order and pages never overlap.
 */
export function resolveOrder(table: TableContext, orderBy: readonly OrderByInput[] | null | undefined): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const entry of orderBy ?? []) {
    const set = Object.entries(entry).filter(([, direction]) => direction !== null && direction !== undefined);
    if (set.length !== 1) {
      throw errors.BAD_USER_INPUT.error(`Each orderBy entry must name exactly one field; found ${set.length}. Use one entry per field.`);
    }
    const [name, direction] = set[0];
    if (!keys.some((key) => key.field === name)) keys.push(orderKey(table, name, direction as SortDirection, keys.length));
  }
  for (const name of table.type.keyFields) {
    if (!keys.some((key) => key.field === name)) keys.push(orderKey(table, name, 'ASC', keys.length));
  }
  return keys;
}

function orderKey(table: TableContext, name: string, direction: SortDirection, index: number): OrderKey {
  const field = fieldOf(table, name);
  return { field: name, column: columnSql(table, field), sqlType: columnType(table, field), direction, alias: `__order_${index}` };
}

/** `ORDER BY` text; nulls sort last in both directions. */
export function orderSql(keys: readonly OrderKey[]): string {
  return keys.map((key) => `${key.column} ${key.direction} NULLS LAST`).join(', ');
}

export function orderColumnsSql(table: TableContext, keys: readonly OrderKey[]): string[] {
  return keys.map((key) => `${key.column} AS ${nameSql(table, key.alias)}`);
}

/** Identifies an ordering so a cursor issued under one ordering is rejected under another. */
function orderSignature(typeName: string, keys: readonly OrderKey[]): string {
  const text = `${typeName}|${keys.map((key) => `${key.field}:${key.direction}`).join(',')}`;
  return createHash('sha256').update(text).digest('base64url').slice(0, 12);
}

/** Encodes the position after `row` as an opaque cursor. */
export function encodeCursor(typeName: string, keys: readonly OrderKey[], row: Record<string, unknown>): string {
  const payload = { o: orderSignature(typeName, keys), v: keys.map((key) => row[key.alias] ?? null) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * Decodes a cursor issued by `encodeCursor` for the same type and ordering.
 *
 * @throws INVALID_CURSOR when the cursor is malformed or was issued for another ordering.
 */
export function decodeCursor(typeName: string, keys: readonly OrderKey[], cursor: string): unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw errors.INVALID_CURSOR.error(`The cursor "${truncate(cursor)}" is not a valid cursor; pass an endCursor or edge cursor of this field.`);
  }
  const valid =
    typeof payload === 'object' && payload !== null && Array.isArray((payload as { v?: unknown }).v) &&
    (payload as { v: unknown[] }).v.length === keys.length;
  if (!valid) {
    throw errors.INVALID_CURSOR.error(`The cursor "${truncate(cursor)}" is not a valid cursor; pass an endCursor or edge cursor of this field.`);
  }
  if ((payload as { o?: unknown }).o !== orderSignature(typeName, keys)) {
    throw errors.INVALID_CURSOR.error('The cursor was issued for another orderBy; request the first page again with this orderBy.');
  }
  return (payload as { v: unknown[] }).v;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The condition "the row comes after the cursor position" under `keys` with NULLS LAST: for some
 * key i, all earlier keys equal the cursor's values and key i is strictly after the cursor's value.
 */
export function cursorCondition(keys: readonly OrderKey[], values: readonly unknown[], params: ParameterList): string {
  const alternatives: string[] = [];
  for (let i = 0; i < keys.length; i += 1) {
    const after = strictlyAfter(keys[i], values[i], params);
    if (after === 'FALSE') continue;
    const equalities = keys.slice(0, i).map((key, j) => equalTo(key, values[j], params));
    alternatives.push([...equalities, after].join(' AND '));
  }
  return alternatives.length ? alternatives.map((alternative) => `(${alternative})`).join(' OR ') : 'FALSE';
}

function equalTo(key: OrderKey, value: unknown, params: ParameterList): string {
  return value === null ? `${key.column} IS NULL` : `${key.column} = ${params.add(value, key.sqlType)}`;
}

function strictlyAfter(key: OrderKey, value: unknown, params: ParameterList): string {
  // Nulls sort last, so nothing comes after a null, and every null comes after a value.
  if (value === null) return 'FALSE';
  const operator = key.direction === 'ASC' ? '>' : '<';
  return `(${key.column} ${operator} ${params.add(value, key.sqlType)} OR ${key.column} IS NULL)`;
}

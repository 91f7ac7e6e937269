import { errors } from '../../../core/errors/index.js';
import type { DataProductModel, MappedField, MappedType } from '../model.js';
import type { SqlDialect } from './dialect.js';

/**
 * A partition column derived from a source column by a non-decreasing function, such as
 * `month = strftime(date, '%Y-%m')`. Because the function never decreases, a range on the source
 * column implies the same-direction range on the partition column, which lets DuckDB skip files.
 */
export interface PartitionRule {
  readonly partitionColumn: string;
  readonly sourceColumn: string;
  /** SQL that derives the partition value from a parameter placeholder already cast to the source type. */
  derive(placeholder: string): string;
}

/** What the SQL builders know about one mapped type's table or dataset. */
export interface TableContext {
  readonly model: DataProductModel;
  readonly type: MappedType;
  readonly dialect: SqlDialect;
  /** The FROM expression: a quoted view or table name. */
  readonly from: string;
  /** Backend type of every mapped column, by the column name the SDL declares, as `CAST` accepts it. */
  readonly columnTypes: ReadonlyMap<string, string>;
  /** The source's spelling of each declared column name where it differs only in case, such as `IATA` for `iata`. */
  readonly sourceColumnNames?: ReadonlyMap<string, string>;
  readonly partitions: readonly PartitionRule[];
}

export function fieldOf(table: TableContext, name: string): MappedField {
  const field = table.type.fields.find((candidate) => candidate.name === name);
  if (!field) throw errors.BAD_USER_INPUT.error(`${table.type.name} has no field "${name}".`);
  return field;
}

export function columnSql(table: TableContext, field: MappedField): string {
  return table.dialect.quoteIdentifier(table.sourceColumnNames?.get(field.column) ?? field.column);
}

/** Quotes a name of the statement itself, such as a result alias. */
export function nameSql(table: TableContext, name: string): string {
  return table.dialect.quoteIdentifier(name);
}

export function columnType(table: TableContext, field: MappedField): string {
  const type = table.columnTypes.get(field.column);
  if (!type) throw new Error(`${table.type.name}.${field.name}: column "${field.column}" is missing from ${table.from}`);
  return type;
}

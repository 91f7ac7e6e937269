import type { FakeField, FakeQueryParameter, FakeResult } from './fakeBigQuery.js';
import type { SourceColumn, SourceEngine } from './sourceEngine.js';

/** GoogleSQL type names in CAST, and the DuckDB types the fake runs them as. */
const DUCKDB_TYPES: Record<string, string> = {
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  STRING: 'VARCHAR',
  NUMERIC: 'DECIMAL(38,9)',
  BIGNUMERIC: 'DECIMAL(38,18)',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMPTZ',
  DATE: 'DATE',
};

/**
 * Rewrites the GoogleSQL of the backend into DuckDB's dialect: the `` `project`.`dataset`. `` prefix
 * dropped, INFORMATION_SCHEMA views as the fake's tables `bq_table_options` and `bq_columns`,
 * backticks as double quotes, `@pN` as `$N`, GoogleSQL type names as DuckDB's, and LIKE with the
 * backslash escape that GoogleSQL applies without an ESCAPE clause.
 */
export function bigQueryToDuckDb(sql: string, prefix: string): string {
  return sql
    .split(prefix)
    .join('')
    .replace(/INFORMATION_SCHEMA\.TABLE_OPTIONS/g, 'bq_table_options')
    .replace(/INFORMATION_SCHEMA\.COLUMNS/g, 'bq_columns')
    .replace(/`([^`]*)`/g, '"$1"')
    .replace(/@p(\d+)/g, '$$$1')
    .replace(/ AS ([A-Z0-9]+)\)/g, (whole, type: string) => (type in DUCKDB_TYPES ? ` AS ${DUCKDB_TYPES[type]})` : whole))
    .replace(/LIKE (CAST\(\$\d+ AS VARCHAR\))/g, "LIKE $1 ESCAPE '\\'");
}

/** Returns a resolver that runs each job of a FakeBigQuery on the engine and replies in the REST format. */
export function resolveFromEngine(engine: SourceEngine, prefix: string): (sql: string, parameters: readonly FakeQueryParameter[], dryRun: boolean) => Promise<FakeResult> {
  return async (sql, parameters, dryRun) => {
    const values = [...parameters]
      .sort((a, b) => Number(a.name.slice(1)) - Number(b.name.slice(1)))
      .map((parameter) => parameter.parameterValue.value ?? null);
    const text = bigQueryToDuckDb(sql, prefix);
    try {
      const result = await engine.run(dryRun ? `SELECT * FROM (${text}) AS dry_run LIMIT 0` : text, values);
      return {
        schema: result.columns.map(restField),
        rows: result.rows.map((row) => result.columns.map((column) => restValue(row[column.name], column))),
        totalBytesProcessed: '0',
      };
    } catch (error) {
      return { schema: [], insertError: { status: 400, reason: 'invalidQuery', message: (error as Error).message } };
    }
  };
}

function restField(column: SourceColumn): FakeField {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(column.type);
  if (decimal) return { name: column.name, type: Number(decimal[2]) > 9 ? 'BIGNUMERIC' : 'NUMERIC' };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(column.type)) return { name: column.name, type: 'INTEGER' };
  const types: Record<string, string> = {
    DOUBLE: 'FLOAT',
    FLOAT: 'FLOAT',
    VARCHAR: 'STRING',
    DATE: 'DATE',
    TIMESTAMP: 'DATETIME',
    'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
    BOOLEAN: 'BOOLEAN',
    JSON: 'JSON',
  };
  if (!(column.type in types)) throw new Error(`the BigQuery fake has no mapping for DuckDB type ${column.type}`);
  return { name: column.name, type: types[column.type] };
}

/** Writes a value as the REST API does: DATETIME with a `T`, TIMESTAMP as int64 microseconds, the rest as text. */
function restValue(value: unknown, column: SourceColumn): string | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'TIMESTAMP') return String(value).replace(' ', 'T');
  if (column.type === 'TIMESTAMP WITH TIME ZONE') return epochMicroseconds(String(value));
  return String(value);
}

/** Microseconds since the epoch of DuckDB's TIMESTAMPTZ text in UTC, such as `2001-01-01 05:00:00.25+00`. */
function epochMicroseconds(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/.exec(text);
  if (!match) throw new Error(`unexpected TIMESTAMPTZ text ${text}`);
  const seconds = BigInt(Date.parse(`${match[1]}T${match[2]}Z`) / 1000);
  return String(seconds * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0')));
}

import type { FakeColumn, FakeQueryReply, QueryRecord } from './fakeSnowflake.js';
import { epochDays, type SourceColumn, type SourceEngine } from './sourceEngine.js';

/**
 * Rewrites the Snowflake SQL of the backend into DuckDB's dialect: the `"DB"."SCHEMA".` prefix
 * dropped, numbered binds as `$n`, Snowflake's type names as DuckDB's, and the ESCAPE literal
 * written with Snowflake's backslash escaping as one backslash.
 */
export function snowflakeToDuckDb(sql: string, prefix: string): string {
  return sql
    .split(prefix)
    .join('')
    .replace(/:(\d+)/g, '$$$1')
    .replace(/NUMBER\((\d+),(\d+)\)/g, 'DECIMAL($1,$2)')
    .replace(/\bFLOAT\b/g, 'DOUBLE')
    .replace(/\bTIMESTAMP_NTZ\b/g, 'TIMESTAMP')
    .replace(/ESCAPE '\\\\'/g, "ESCAPE '\\'");
}

/** Returns a reply function that runs each query of a FakeSnowflake on the engine, in Snowflake's JSON result format. */
export function replyFromEngine(engine: SourceEngine, prefix: string): (query: QueryRecord) => Promise<FakeQueryReply> {
  return async (query) => {
    const bindings = query.bindings ?? {};
    const params = Object.keys(bindings)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => bindings[key].value);
    try {
      const result = await engine.run(snowflakeToDuckDb(query.sqlText, prefix), params);
      const columns = result.columns.map(snowflakeColumn);
      const rows = result.rows.map((row) => result.columns.map((column) => encodeValue(row[column.name], column)));
      return { kind: 'rows', result: { columns, rows } };
    } catch (error) {
      return { kind: 'error', code: '001003', sqlState: '42000', message: `SQL compilation error: ${(error as Error).message}` };
    }
  };
}

function snowflakeColumn(column: SourceColumn): FakeColumn {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(column.type);
  if (decimal) return { name: column.name, type: 'fixed', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(column.type)) return { name: column.name, type: 'fixed', precision: 38, scale: 0 };
  if (column.type === 'DOUBLE' || column.type === 'FLOAT') return { name: column.name, type: 'real' };
  if (column.type === 'DATE') return { name: column.name, type: 'date' };
  if (column.type === 'VARCHAR') return { name: column.name, type: 'text' };
  throw new Error(`the Snowflake fake has no mapping for DuckDB type ${column.type}`);
}

/** Writes a value as Snowflake's JSON result format does: every value a string. */
function encodeValue(value: unknown, column: SourceColumn): string | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'DATE') return String(epochDays(String(value)));
  return String(value);
}

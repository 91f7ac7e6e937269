/**
 * The differences between the SQL engines a data product runs on. The statement builders write SQL
 * that DuckDB, BigQuery and Snowflake all accept (`NULLS LAST`, window functions, `QUALIFY`), so
 * only identifiers, parameters and `LIKE` differ, and they go through here.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'bigquery' | 'snowflake';
  /** Quotes an identifier from the declared schema; input values never become identifiers. */
  quoteIdentifier(name: string): string;
  /** The placeholder of the parameter at 1-based `index`, cast to the column type `sqlType`. */
  parameter(index: number, sqlType: string): string;
  /** The engine's name of a variable-length string type, for `LIKE` patterns. */
  readonly textType: string;
  /** `column LIKE pattern` where a backslash escapes `%`, `_` and itself in the pattern. */
  like(column: string, pattern: string): string;
}

function doubleQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB: `"identifier"`, positional `$1` parameters. */
export const duckDbDialect: SqlDialect = {
  name: 'duckdb',
  quoteIdentifier: doubleQuoted,
  parameter: (index, sqlType) => `CAST($${index} AS ${sqlType})`,
  textType: 'VARCHAR',
  like: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '\\'`,
};

/**
 * BigQuery GoogleSQL: `` `identifier` `` (a dotted path such as `project.dataset.table` is quoted
 * part by part by the caller), named `@p1` parameters. LIKE already treats a backslash as the
 * escape character and has no ESCAPE clause.
 */
export const bigQueryDialect: SqlDialect = {
  name: 'bigquery',
  quoteIdentifier: (name) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``,
  parameter: (index, sqlType) => `CAST(@p${index} AS ${sqlType})`,
  textType: 'STRING',
  like: (column, pattern) => `${column} LIKE ${pattern}`,
};

/** Snowflake: `"identifier"` (case-sensitive once quoted), numbered `:1` binds. */
export const snowflakeDialect: SqlDialect = {
  name: 'snowflake',
  quoteIdentifier: doubleQuoted,
  parameter: (index, sqlType) => `CAST(:${index} AS ${sqlType})`,
  textType: 'VARCHAR',
  like: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '\\\\'`,
};

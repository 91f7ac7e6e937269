import type { BigQueryBackendConfig } from '../../../core/config/sections/bigquery.js';
import type { SnowflakeBackendConfig } from '../../../core/config/sections/snowflake.js';
import type { Logger } from '../../../core/logger.js';
import type { SqlBackend } from '../backend.js';
import { openBigQueryBackend } from './bigquery.js';
import { openSnowflakeBackend } from './snowflake.js';

/** The configuration of a SQL service that a data product can run on instead of the embedded DuckDB. */
export type RemoteSqlBackendConfig = BigQueryBackendConfig | SnowflakeBackendConfig;

/** A connected backend and the FROM expression of a table named in the data product's SDL. */
export interface RemoteSqlBackend {
  readonly backend: SqlBackend;
  readonly relation: (table: string) => string;
}

/**
 * Connects to the configured SQL service. Tables named in the SDL are read from the configured
 * dataset or schema: `` `project`.`dataset`.`table` `` on BigQuery, and `"database"."schema"."TABLE"`
 * on Snowflake, upper-case unless `tableNameCase` is `exact`.
 *
 * @throws Error naming the option for a missing credential, BACKEND_QUERY_FAILED when the login fails
 */
export async function openRemoteSqlBackend(config: RemoteSqlBackendConfig, logger: Logger): Promise<RemoteSqlBackend> {
  if (config.kind === 'bigquery') {
    const backend = await openBigQueryBackend(config, logger.child({ component: 'bigquery' }));
    return { backend, relation: qualifiedRelation(backend, [config.projectId, config.dataset], (table) => table) };
  }
  const backend = await openSnowflakeBackend(config, logger);
  const tableName = config.tableNameCase === 'upper' ? (table: string) => table.toUpperCase() : (table: string) => table;
  return { backend, relation: qualifiedRelation(backend, [config.database, config.schema], tableName) };
}

function qualifiedRelation(backend: SqlBackend, path: readonly string[], tableName: (table: string) => string): (table: string) => string {
  return (table) => [...path, tableName(table)].map((name) => backend.dialect.quoteIdentifier(name)).join('.');
}

import type { SnowflakeBackendConfig } from '../../../core/config/sections/snowflake.js';
import type { Logger } from '../../../core/logger.js';
import type { SqlBackend } from '../backend.js';
import { openSnowflakeBackend } from './snowflake.js';

/** The configuration of a SQL service that a data product can run on instead of the embedded DuckDB. */
export type RemoteSqlBackendConfig = SnowflakeBackendConfig;

/** A connected backend and the FROM expression of a table named in the data product's SDL. */
export interface RemoteSqlBackend {
  readonly backend: SqlBackend;
  readonly relation: (table: string) => string;
}

/**
 * Connects to the configured SQL service. Tables named in the SDL are read from the configured
 * schema: `"database"."schema"."table"` on Snowflake.
 *
 * @throws Error naming the option for a missing credential, BACKEND_QUERY_FAILED when the login fails
 */
export async function openRemoteSqlBackend(config: RemoteSqlBackendConfig, logger: Logger): Promise<RemoteSqlBackend> {
  const backend = await openSnowflakeBackend(config, logger.child({ component: 'snowflake' }));
  return { backend, relation: qualifiedRelation(backend, [config.database, config.schema]) };
}

function qualifiedRelation(backend: SqlBackend, path: readonly string[]): (table: string) => string {
  return (table) => [...path, table].map((name) => backend.dialect.quoteIdentifier(name)).join('.');
}

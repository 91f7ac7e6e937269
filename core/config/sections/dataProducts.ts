import { z } from 'zod';
import { snowflakeBackendSchema } from './snowflake.js';

/** The embedded DuckDB engine over the data folder, which needs no options. */
const embeddedBackend = z.object({ kind: z.literal('duckdb') }).strict();

/**
 * The `warehouse` section: the engine that stores the warehouse tables. The embedded DuckDB file
 * under `dataDir` is the default; Snowflake serves the same data product from the tables of one
 * database schema.
 */
export const warehouseSection = z
  .object({
    backend: z.discriminatedUnion('kind', [embeddedBackend, snowflakeBackendSchema]).default({ kind: 'duckdb' }),
  })
  .strict();

export type WarehouseConfig = z.infer<typeof warehouseSection>;
export type WarehouseBackendConfig = WarehouseConfig['backend'];

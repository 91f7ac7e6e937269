import { z } from 'zod';
import { bigQueryBackendSchema } from './bigquery.js';
import { snowflakeBackendSchema } from './snowflake.js';

/** The embedded DuckDB engine over the data folder, which needs no options. */
const embeddedBackend = z.object({ kind: z.literal('duckdb') }).strict();

/**
 * The `warehouse` section: the engine that stores the warehouse tables. The embedded DuckDB file
 * under `dataDir` is the default. BigQuery and Snowflake serve the same data product from the
 * tables of one dataset or schema.
 */
export const warehouseSection = z
  .object({
    backend: z.discriminatedUnion('kind', [embeddedBackend, bigQueryBackendSchema, snowflakeBackendSchema]).default({ kind: 'duckdb' }),
  })
  .strict();

/**
 * The `lake` section: the engine that reads the lake datasets. The embedded DuckDB reads the
 * Parquet and CSV folders under `dataDir`. BigQuery reads external or BigLake tables, one per
 * dataset, named like the dataset.
 */
export const lakeSection = z
  .object({
    backend: z.discriminatedUnion('kind', [embeddedBackend, bigQueryBackendSchema]).default({ kind: 'duckdb' }),
  })
  .strict();

export type WarehouseBackendConfig = z.infer<typeof warehouseSection>['backend'];
export type LakeBackendConfig = z.infer<typeof lakeSection>['backend'];

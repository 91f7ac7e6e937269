import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshConfig } from '../../core/config/index.js';
import type { ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import type { SqlBackend } from '../kit/backend.js';
import { openRemoteSqlBackend } from '../kit/backends/remote.js';
import { DuckDbBackend } from '../kit/duckdb.js';
import { createDataProduct, type DataProduct } from '../kit/engine.js';
import { startSubgraph } from '../kit/server.js';

export const WAREHOUSE_SDL_FILE = path.join(__dirname, 'schema.graphql');
export const WAREHOUSE_DATABASE_FILE = 'warehouse.duckdb';

export function readWarehouseSdl(): string {
  return readFileSync(WAREHOUSE_SDL_FILE, 'utf8');
}

export interface Warehouse {
  readonly product: DataProduct;
  readonly backend: SqlBackend;
}

/**
 * Opens the configured warehouse backend and builds the data product on it: the embedded DuckDB
 * file under `dataDir`, read-only, or the tables of a BigQuery dataset or a Snowflake schema.
 *
 * @throws Error naming the file when the embedded database does not exist, or naming the option
 *   when a remote backend cannot be reached or a mapped column is missing from its table.
 */
export async function openWarehouse(config: Pick<MeshConfig, 'dataDir' | 'pagination' | 'warehouse'>, logger: Logger): Promise<Warehouse> {
  const { backend, relation } = await openWarehouseBackend(config, logger);
  try {
    const product = await createDataProduct({ sdl: readWarehouseSdl(), backendKind: 'warehouse', backend, relation, pagination: config.pagination });
    return { product, backend };
  } catch (error) {
    await backend.close();
    throw error;
  }
}

async function openWarehouseBackend(
  config: Pick<MeshConfig, 'dataDir' | 'warehouse'>,
  logger: Logger,
): Promise<{ backend: SqlBackend; relation?: (table: string) => string }> {
  const backendConfig = config.warehouse.backend;
  if (backendConfig.kind !== 'duckdb') return openRemoteSqlBackend(backendConfig, logger);

  const databaseFile = path.join(config.dataDir, WAREHOUSE_DATABASE_FILE);
  if (!existsSync(databaseFile)) {
    throw new Error(`The warehouse database ${databaseFile} does not exist; run \`meshgate pipeline\` to build it.`);
  }
  return { backend: await DuckDbBackend.open({ path: databaseFile, readOnly: true, logger: logger.child({ component: 'duckdb' }) }) };
}

/** Starts the warehouse subgraph on the data folder of `config`. */
export async function startWarehouseSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const warehouse = await openWarehouse(config, logger);
  return startSubgraph({
    name: 'warehouse',
    typeDefs: warehouse.product.typeDefs,
    resolvers: [warehouse.product.resolvers],
    host: config.subgraphs.warehouse.host,
    port: config.subgraphs.warehouse.port,
    logger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    onClose: () => warehouse.backend.close(),
    statementsRun: () => warehouse.backend.statementsRun,
  });
}

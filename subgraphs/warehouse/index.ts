import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshConfig } from '../../core/config/index.js';
import type { ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
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
  readonly backend: DuckDbBackend;
}

/**
 * Opens the warehouse database file read-only and builds its data product.
 *
 * @throws Error naming the file when it does not exist.
 */
export async function openWarehouse(databaseFile: string, pagination: MeshConfig['pagination'], logger: Logger): Promise<Warehouse> {
  if (!existsSync(databaseFile)) {
    throw new Error(`The warehouse database ${databaseFile} does not exist; run \`meshgate pipeline\` to build it.`);
  }
  const backend = await DuckDbBackend.open({ path: databaseFile, readOnly: true, logger: logger.child({ component: 'duckdb' }) });
  try {
    const product = await createDataProduct({ sdl: readWarehouseSdl(), backendKind: 'warehouse', backend, pagination });
    return { product, backend };
  } catch (error) {
    await backend.close();
    throw error;
  }
}

/** Starts the warehouse subgraph on the data folder of `config`. */
export async function startWarehouseSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const warehouse = await openWarehouse(path.join(config.dataDir, WAREHOUSE_DATABASE_FILE), config.pagination, logger);
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logger.js';
import type { SqlBackend } from '../kit/backend.js';
import { openRemoteSqlBackend } from '../kit/backends/remote.js';
import { DuckDbBackend } from '../kit/duckdb.js';
import { createDataProduct, type DataProduct, type SourceBinding } from '../kit/engine.js';
import { startSubgraph } from '../kit/server.js';
import type { ServiceHandle } from '../../core/http/service.js';
import { bigQueryCatalog, manifestCatalog, type DatasetCatalog } from './catalog.js';
import { datasetReader, listDatasets, partitionRules, readManifest, type DatasetManifest } from './manifest.js';

export const LAKE_SDL_FILE = path.join(__dirname, 'schema.graphql');

export function readLakeSdl(): string {
  return readFileSync(LAKE_SDL_FILE, 'utf8');
}

/** The lake data product on its configured backend, with its catalog. */
export interface Lake {
  readonly product: DataProduct;
  readonly backend: SqlBackend;
  readonly catalog: DatasetCatalog;
}

/**
 * Opens the lake on the configured backend and builds its data product: the dataset folders under
 * `dataDir` read by DuckDB, or the BigQuery external or BigLake tables named like the datasets.
 *
 * @throws Error naming the dataset when a manifest is invalid or a mapped type's dataset is missing,
 *   or naming the option when BigQuery cannot be reached
 */
export async function openLake(config: Pick<MeshConfig, 'dataDir' | 'pagination' | 'lake'>, logger: Logger): Promise<Lake> {
  const sdl = readLakeSdl();
  const datasetNames = [...sdl.matchAll(/@dataset\(name: "([^"]+)"/g)].map((match) => match[1]);
  const backendConfig = config.lake.backend;
  if (backendConfig.kind === 'bigquery') {
    const { backend, relation } = await openRemoteSqlBackend(backendConfig, logger);
    const catalog = bigQueryCatalog(backend, [backendConfig.projectId, backendConfig.dataset], datasetNames);
    return buildLake({ sdl, backend, relation, pagination: config.pagination }, catalog);
  }

  const lakeDir = path.join(config.dataDir, 'lake');
  const datasets = new Map<string, { dir: string; manifest: DatasetManifest }>();
  const sources = new Map<string, SourceBinding>();
  for (const name of listDatasets(lakeDir)) {
    const dir = path.join(lakeDir, name);
    const manifest = readManifest(dir);
    datasets.set(manifest.name, { dir, manifest });
    sources.set(manifest.name, { from: datasetReader(dir, manifest), partitions: partitionRules(manifest) });
  }
  for (const name of datasetNames) {
    if (!datasets.has(name)) throw new Error(`Dataset "${name}" is not in the lake at ${lakeDir}; run \`meshgate pipeline\` to build it.`);
  }

  const backend = await DuckDbBackend.open({ path: ':memory:', logger: logger.child({ component: 'duckdb' }) });
  return buildLake({ sdl, backend, sources, pagination: config.pagination }, manifestCatalog(backend, datasets));
}

async function buildLake(
  options: { sdl: string; backend: SqlBackend; pagination: MeshConfig['pagination']; sources?: ReadonlyMap<string, SourceBinding>; relation?: (table: string) => string },
  catalog: DatasetCatalog,
): Promise<Lake> {
  try {
    const product = await createDataProduct({ ...options, backendKind: 'lake' });
    return { product, backend: options.backend, catalog };
  } catch (error) {
    await options.backend.close();
    throw error;
  }
}

/** Resolvers of the lake's own fields: the dataset catalog. */
export function catalogResolvers(lake: Lake) {
  return { Query: { datasets: () => lake.catalog() } };
}

/** Starts the lake subgraph on the data folder of `config`. */
export async function startLakeSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const lake = await openLake(config, logger);
  return startSubgraph({
    name: 'lake',
    typeDefs: lake.product.typeDefs,
    resolvers: [lake.product.resolvers, catalogResolvers(lake)],
    host: config.subgraphs.lake.host,
    port: config.subgraphs.lake.port,
    logger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    onClose: () => lake.backend.close(),
    statementsRun: () => lake.backend.statementsRun,
  });
}

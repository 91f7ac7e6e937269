import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logger.js';
import { DuckDbBackend } from '../kit/duckdb.js';
import { createDataProduct, type DataProduct, type SourceBinding } from '../kit/engine.js';
import { startSubgraph } from '../kit/server.js';
import type { ServiceHandle } from '../../core/http/service.js';
import { datasetReader, listDatasets, partitionRules, readManifest, type DatasetManifest } from './manifest.js';

export const LAKE_SDL_FILE = path.join(__dirname, 'schema.graphql');

export function readLakeSdl(): string {
  return readFileSync(LAKE_SDL_FILE, 'utf8');
}

/** The lake data product over the datasets of `lakeDir`, with its catalog. */
export interface Lake {
  readonly product: DataProduct;
  readonly backend: DuckDbBackend;
  readonly datasets: ReadonlyMap<string, { dir: string; manifest: DatasetManifest }>;
}

/**
 * Opens the lake: reads every dataset manifest of `lakeDir`, binds each dataset to a DuckDB reader
 * with its pinned schema and partitions, and builds the data product.
 *
 * @throws Error naming the dataset when a manifest is invalid or a mapped type's dataset is missing.
 */
export async function openLake(lakeDir: string, pagination: MeshConfig['pagination'], logger: Logger): Promise<Lake> {
  const datasets = new Map<string, { dir: string; manifest: DatasetManifest }>();
  const sources = new Map<string, SourceBinding>();
  for (const name of listDatasets(lakeDir)) {
    const dir = path.join(lakeDir, name);
    const manifest = readManifest(dir);
    datasets.set(manifest.name, { dir, manifest });
    sources.set(manifest.name, { from: datasetReader(dir, manifest), partitions: partitionRules(manifest) });
  }

  const sdl = readLakeSdl();
  for (const match of sdl.matchAll(/@dataset\(name: "([^"]+)"/g)) {
    if (!datasets.has(match[1])) {
      throw new Error(`Dataset "${match[1]}" is not in the lake at ${lakeDir}; run \`meshgate pipeline\` to build it.`);
    }
  }

  const backend = await DuckDbBackend.open({ path: ':memory:', logger: logger.child({ component: 'duckdb' }) });
  try {
    const product = await createDataProduct({ sdl, backendKind: 'lake', backend, pagination, sources });
    return { product, backend, datasets };
  } catch (error) {
    await backend.close();
    throw error;
  }
}

/** Resolvers of the lake's own fields: the dataset catalog. */
export function catalogResolvers(lake: Lake) {
  return {
    Query: {
      datasets: async () => {
        const result = [];
        for (const { dir, manifest } of lake.datasets.values()) {
          const rows = await lake.backend.query({ sql: `SELECT count(*) AS rows FROM ${datasetReader(dir, manifest)}`, params: [] });
          result.push({
            name: manifest.name,
            format: manifest.format,
            partitions: manifest.partitions.map((partition) => partition.column),
            partitionCount: manifest.partitions.length ? countPartitionFolders(path.join(dir, manifest.version)) : 0,
            rowCount: String(rows[0].rows),
            columns: manifest.columns,
          });
        }
        return result;
      },
    },
  };
}

function countPartitionFolders(versionDir: string): number {
  return readdirSync(versionDir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name.includes('=')).length;
}

/** Starts the lake subgraph on the data folder of `config`. */
export async function startLakeSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const lake = await openLake(path.join(config.dataDir, 'lake'), config.pagination, logger);
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

import path from 'node:path';
import { parse } from 'graphql';
import type { MeshConfig } from '../../core/config/index.js';
import type { VectorBackendConfig } from '../../core/config/sections/vector.js';
import type { ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import { loadEmbeddingModel } from '../inference/embeddings/index.js';
import { startSubgraph } from '../kit/server.js';
import { configureAnswerGenerator } from './answer.js';
import type { IndexWriter, SearchBackend } from './backends/backend.js';
import { ElasticsearchBackend, ElasticsearchIndexWriter } from './backends/elasticsearch/index.js';
import { EmbeddedBackend } from './backends/embedded.js';
import { WeaviateBackend, WeaviateIndexWriter } from './backends/weaviate/index.js';
import { readCollections, readVectorSdl } from './collections.js';
import { partialResultsPlugin } from './partialResults.js';
import { vectorResolvers } from './resolvers.js';
import { SearchService } from './search.js';

export { readCollections, readVectorSdl } from './collections.js';

/** The embedding cache the inference pipeline step writes, relative to the data folder. */
export const EMBEDDING_CACHE_FILE = path.join('models', 'embeddings.bin');

/**
 * Opens the configured search backend for the declared collections.
 *
 * @throws ConfigError when a cluster's API key cannot be read; Error when an embedded collection was never indexed.
 */
export function openSearchBackend(config: MeshConfig, collections: readonly string[], logger: Logger): SearchBackend {
  const backend = config.vector.backend;
  if (backend.kind === 'weaviate') {
    return new WeaviateBackend(backend);
  }
  if (backend.kind === 'elasticsearch') {
    return new ElasticsearchBackend(backend);
  }
  return EmbeddedBackend.open(config.dataDir, collections, config.vector.exactSearchBelow, logger);
}

/**
 * Opens the writer of a search cluster, or returns undefined for the embedded index, which
 * `meshgate pipeline index` builds in the data folder instead.
 *
 * @throws ConfigError when the cluster's API key cannot be read.
 */
export function openIndexWriter(backend: VectorBackendConfig): IndexWriter | undefined {
  if (backend.kind === 'weaviate') {
    return new WeaviateIndexWriter(backend);
  }
  if (backend.kind === 'elasticsearch') {
    return new ElasticsearchIndexWriter(backend);
  }
  return undefined;
}

/** Opens the embedding model and the search backend and returns the search service over them. */
export function openSearchService(config: MeshConfig, logger: Logger): SearchService {
  const declarations = readCollections();
  const model = loadEmbeddingModel(path.join(config.dataDir, EMBEDDING_CACHE_FILE));
  const backend = openSearchBackend(config, declarations.map((declaration) => declaration.name), logger);
  return new SearchService(declarations, backend, (text) => model.embed([text]).vectors[0], config.vector.maxResults);
}

/** Starts the vector subgraph on the data folder of `config`. */
export async function startVectorSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const vectorLogger = logger.child({ component: 'vector' });
  const generator = configureAnswerGenerator(config.vector.generation);
  const service = openSearchService(config, vectorLogger);
  return startSubgraph({
    name: 'vector',
    typeDefs: parse(readVectorSdl()),
    resolvers: [vectorResolvers(service, generator, vectorLogger)],
    host: config.subgraphs.vector.host,
    port: config.subgraphs.vector.port,
    logger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    plugins: [partialResultsPlugin()],
    onClose: () => service.backend.close(),
  });
}

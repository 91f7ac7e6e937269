import path from 'node:path';
import { parse } from 'graphql';
import type { MeshConfig } from '../../core/config/index.js';
import type { ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import { loadEmbeddingModel } from '../inference/embeddings/index.js';
import { startSubgraph } from '../kit/server.js';
import type { SearchBackend } from './backends/backend.js';
import { ElasticsearchBackend } from './backends/elasticsearch.js';
import { EmbeddedBackend } from './backends/embedded.js';
import { WeaviateBackend } from './backends/weaviate.js';
import { readCollections, readVectorSdl } from './collections.js';
import { vectorResolvers } from './resolvers.js';
import { SearchService } from './search.js';

export { readCollections, readVectorSdl } from './collections.js';

/** The embedding cache the inference pipeline step writes, relative to the data folder. */
export const EMBEDDING_CACHE_FILE = path.join('models', 'embeddings.bin');

/** Opens the configured search backend for the declared collections. */
export function openSearchBackend(config: MeshConfig, collections: readonly string[], logger: Logger): SearchBackend {
  const backend = config.vector.backend;
  if (backend.kind === 'weaviate') {
    return new WeaviateBackend(backend.url, backend.apiKey);
  }
  if (backend.kind === 'elasticsearch') {
    return new ElasticsearchBackend(backend.url, backend.apiKey);
  }
  return EmbeddedBackend.open(config.dataDir, collections, config.vector.exactSearchBelow, logger);
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
  const service = openSearchService(config, vectorLogger);
  return startSubgraph({
    name: 'vector',
    typeDefs: parse(readVectorSdl()),
    resolvers: [vectorResolvers(service, config.vector, vectorLogger)],
    host: config.subgraphs.vector.host,
    port: config.subgraphs.vector.port,
    logger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    onClose: () => service.backend.close(),
  });
}

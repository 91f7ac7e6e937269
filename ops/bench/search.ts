import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MeshConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logger.js';
import { loadEmbeddingModel } from '../../subgraphs/inference/embeddings/index.js';
import { collectionDirectory, EmbeddedBackend } from '../../subgraphs/vector/backends/embedded.js';
import { readCollections } from '../../subgraphs/vector/collections.js';
import { EMBEDDING_CACHE_FILE } from '../../subgraphs/vector/index.js';
import { openCollection, VectorCollection, type HnswOptions, type SearchMode } from '../../subgraphs/vector/index/index.js';
import { SearchService } from '../../subgraphs/vector/search.js';
import { round } from './stats.js';

export interface SearchBenchOptions {
  readonly config: MeshConfig;
  readonly logger: Logger;
  /** Synthetic passages of the HNSW measurement; default 100,000. */
  readonly syntheticPassages?: number;
  /** Dimension of the synthetic vectors; default 32. */
  readonly syntheticDimension?: number;
  /** Timed searches per mode and collection; default 100. */
  readonly searches?: number;
  /** Queries compared against exact search for recall@10; default 30, because an exact scan of 100,000 vectors is slow. */
  readonly recallQueries?: number;
}

/**
 * Default dimension of the synthetic vectors. Uniformly random vectors are as hard for HNSW as their
 * full dimension, unlike real embeddings, whose intrinsic dimension is far below their 100 coordinates.
 * On a 2-core x86 VM, the graph of 100,000 vectors took 135 s to build at 100 dimensions, with
 * recall@10 of 0.58 at efSearch 200, and 52 s at 32 dimensions, with recall@10 of 0.99.
 */
const SYNTHETIC_DIMENSION = 32;
const SYNTHETIC_VOCABULARY = 5_000;
const WORDS_PER_PASSAGE = 12;
const RECALL_K = 10;
const RECALL_GOAL = 0.95;
const MODES: readonly SearchMode[] = ['keyword', 'vector', 'hybrid'];

/** Plain-language questions a reader might ask of the State of the Union speeches. */
const SPEECH_QUERIES = [
  'preserving the union during the civil war',
  'tariffs on imported goods and manufacturing',
  'relations with Great Britain and France',
  'the national debt and public credit',
  'emancipation and the end of slavery',
  'railroads reaching the western territories',
  'the depression and unemployment relief',
  'nuclear weapons and the Soviet Union',
  'health insurance for every American',
  'terrorism and the war in Iraq',
  'the gold standard and silver coinage',
  'immigration at the southern border',
];

interface Latency {
  readonly p50: number;
  readonly p99: number;
}

interface SyntheticResult {
  readonly passages: number;
  readonly dimension: number;
  readonly recallQueries: number;
  readonly hnsw: HnswOptions;
  readonly insertSeconds: number;
  readonly graphSeconds: number;
  readonly comparison: ExactComparison;
  readonly latency: ReadonlyMap<SearchMode, Latency>;
}

/**
 * Measures search latency (p50 and p99, in milliseconds) over the indexed speeches collection and
 * over synthetic passages, and HNSW recall@10 against exact search with its speed-up, and returns a
 * markdown section. Expects a data folder built by the pipeline at `config.dataDir`. Took about 90 s
 * with the defaults on a 2-core x86 VM, more than half of it building the HNSW graph of 100,000 vectors.
 */
export async function searchBenchmarkSection(options: SearchBenchOptions): Promise<string> {
  const searches = options.searches ?? 100;
  options.logger.info({ searches }, 'search benchmark started');
  const speeches = await measureSpeeches(options.config, searches);
  const synthetic = measureSynthetic({
    passages: options.syntheticPassages ?? 100_000,
    dimension: options.syntheticDimension ?? SYNTHETIC_DIMENSION,
    searches,
    recallQueries: options.recallQueries ?? 30,
  });
  options.logger.info({ speechesRecall: speeches.comparison.recall, syntheticRecall: synthetic.comparison.recall }, 'search benchmark finished');
  return report(speeches, synthetic, searches);
}

interface SpeechesResult {
  readonly size: number;
  readonly usesHnsw: boolean;
  readonly latency: ReadonlyMap<SearchMode, Latency>;
  readonly comparison: ExactComparison;
  readonly recallQueries: number;
}

/** Passages whose vectors join the questions as recall queries, spread evenly over the collection. */
const SPEECH_RECALL_PASSAGES = 38;

async function measureSpeeches(config: MeshConfig, searches: number): Promise<SpeechesResult> {
  const collection = openCollection(collectionDirectory(config.dataDir, 'speeches'));
  const model = loadEmbeddingModel(path.join(config.dataDir, EMBEDDING_CACHE_FILE));
  const declarations = readCollections().filter((declaration) => declaration.name === 'speeches');
  const service = new SearchService(declarations, new EmbeddedBackend(new Map([['speeches', collection]])), (text) => model.embed([text]).vectors[0], config.vector.maxResults);

  const latency = new Map<SearchMode, Latency>();
  for (const mode of MODES) {
    const samples = await timeAsync(searches, (i) => service.search({ query: SPEECH_QUERIES[i % SPEECH_QUERIES.length], mode, filters: [], first: 10 }));
    latency.set(mode, percentiles(samples));
  }

  const documents = collection.documents();
  const step = Math.max(1, Math.floor(documents.length / SPEECH_RECALL_PASSAGES));
  const passageVectors = documents.filter((_, i) => i % step === 0).slice(0, SPEECH_RECALL_PASSAGES).map((document) => document.vector);
  const queries = [...SPEECH_QUERIES.map((query) => model.embed([query]).vectors[0]), ...passageVectors];
  const comparison = compareWithExact(collection, queries);
  return { size: collection.size, usesHnsw: collection.size >= collection.options.hnswThreshold, latency, comparison, recallQueries: queries.length };
}

interface SyntheticSpec {
  readonly passages: number;
  readonly dimension: number;
  readonly searches: number;
  readonly recallQueries: number;
}

function measureSynthetic(spec: SyntheticSpec): SyntheticResult {
  const { passages, dimension, searches, recallQueries } = spec;
  const random = createRandom(20_260_101);
  const collection = new VectorCollection({ dimension, hnswThreshold: 0 });
  let started = performance.now();
  for (let i = 0; i < passages; i += 1) {
    collection.upsert({ id: `s${i}`, text: syntheticText(random), vector: randomUnitVector(random, dimension), metadata: {} });
  }
  const insertSeconds = (performance.now() - started) / 1000;

  // The first approximate search builds the graph, so it is timed apart from the searches.
  started = performance.now();
  collection.approximateSearch(randomUnitVector(random, dimension), RECALL_K);
  const graphSeconds = (performance.now() - started) / 1000;

  const queries = Array.from({ length: recallQueries }, () => randomUnitVector(random, dimension));
  const comparison = compareWithExact(collection, queries);

  const latency = new Map<SearchMode, Latency>();
  for (const mode of MODES) {
    const samples = timeSync(searches, () => collection.search({ mode, text: syntheticText(random).split(' ').slice(0, 3).join(' '), vector: randomUnitVector(random, dimension), first: 10 }));
    latency.set(mode, percentiles(samples));
  }
  return { passages, dimension, recallQueries, hnsw: collection.options.hnsw, insertSeconds, graphSeconds, comparison, latency };
}

interface ExactComparison {
  readonly recall: number;
  /** Mean time per query in milliseconds. */
  readonly exactMean: number;
  readonly hnswMean: number;
}

/** Returns mean recall@10 of HNSW against exact search, and the mean time per query of each. */
function compareWithExact(collection: VectorCollection, queries: readonly Float32Array[]): ExactComparison {
  let recallSum = 0;
  let exactTotal = 0;
  let hnswTotal = 0;
  for (const query of queries) {
    let started = performance.now();
    const exact = collection.exactSearch(query, RECALL_K).map((hit) => hit.slot);
    exactTotal += performance.now() - started;

    started = performance.now();
    const approximate = new Set(collection.approximateSearch(query, RECALL_K).map((hit) => hit.slot));
    hnswTotal += performance.now() - started;

    recallSum += exact.filter((slot) => approximate.has(slot)).length / exact.length;
  }
  return { recall: recallSum / queries.length, exactMean: exactTotal / queries.length, hnswMean: hnswTotal / queries.length };
}

/** Returns a text of synthetic words with a skewed frequency (word i is drawn about as often as 1/√i), like a real vocabulary. */
function syntheticText(random: () => number): string {
  const words: string[] = [];
  for (let i = 0; i < WORDS_PER_PASSAGE; i += 1) {
    words.push(`w${Math.floor(SYNTHETIC_VOCABULARY * random() ** 2)}`);
  }
  return words.join(' ');
}

/** Seeded PRNG (mulberry32), so the synthetic collection is the same on every run. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a random unit vector with Gaussian components (Box–Muller), so directions are uniform. */
function randomUnitVector(random: () => number, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  let norm = 0;
  for (let i = 0; i < dimension; i += 1) {
    vector[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    norm += vector[i] * vector[i];
  }
  return vector.map((value) => value / Math.sqrt(norm));
}

/** Untimed runs before each timed series, so a lazily built index or a cold cache is not sampled. */
const WARMUP_RUNS = 3;

async function timeAsync(runs: number, body: (run: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP_RUNS; i += 1) {
    await body(i);
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await body(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

function timeSync(runs: number, body: () => unknown): number[] {
  for (let i = 0; i < WARMUP_RUNS; i += 1) {
    body();
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    body();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Returns the nearest-rank p50 and p99 of the samples, in milliseconds. */
function percentiles(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
  return { p50: round(at(0.5)), p99: round(at(0.99)) };
}

function report(speeches: SpeechesResult, synthetic: SyntheticResult, searches: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const latencyRows = MODES.map((mode) => {
    const real = speeches.latency.get(mode);
    const generated = synthetic.latency.get(mode);
    return `| ${mode.toUpperCase()} | ${real?.p50} | ${real?.p99} | ${generated?.p50} | ${generated?.p99} |`;
  });
  const { hnsw } = synthetic;
  return [
    '## Search',
    '',
    `Node ${process.version}, ${os.cpus().length} × ${cpu}. Latency in milliseconds of ${searches} searches per mode (first: 10), one at a time, after ${WARMUP_RUNS} untimed ones. ` +
      `Speeches: ${speeches.size.toLocaleString('en-US')} passages of the State of the Union addresses (${speeches.usesHnsw ? 'HNSW' : 'exact'} vector search), ` +
      `timed through the search service, query embedding included. Synthetic: ${synthetic.passages.toLocaleString('en-US')} passages of ${WORDS_PER_PASSAGE} words ` +
      `from a ${SYNTHETIC_VOCABULARY.toLocaleString('en-US')}-word vocabulary with random ${synthetic.dimension}-dimensional unit vectors (seeded), HNSW vector search, query vector given.`,
    '',
    '| mode | speeches p50 | speeches p99 | synthetic p50 | synthetic p99 |',
    '|---|---|---|---|---|',
    ...latencyRows,
    '',
    `HNSW with M = ${hnsw.m}, efConstruction = ${hnsw.efConstruction}, efSearch = ${hnsw.efSearch}. The synthetic graph took ${round(synthetic.graphSeconds, 1)} s to build ` +
      `after ${round(synthetic.insertSeconds, 1)} s of inserts (BM25 included). Goal: recall@10 ≥ ${RECALL_GOAL}.`,
    '',
    '| collection | recall queries | recall@10 against exact | exact per query (ms) | HNSW per query (ms) | speed-up |',
    '|---|---|---|---|---|---|',
    comparisonRow('speeches', `${SPEECH_QUERIES.length} questions, ${speeches.recallQueries - SPEECH_QUERIES.length} passages`, speeches.comparison),
    comparisonRow('synthetic', `${synthetic.recallQueries} random vectors`, synthetic.comparison),
    '',
    'Uniformly random vectors have no cluster structure, so they are a harder case for HNSW than real embeddings of the same dimension.',
    '',
  ].join('\n');
}

function comparisonRow(name: string, queries: string, comparison: ExactComparison): string {
  const speedUp = comparison.exactMean / comparison.hnswMean;
  return `| ${name} | ${queries} | ${round(comparison.recall, 3)} | ${round(comparison.exactMean)} | ${round(comparison.hnswMean)} | ${round(speedUp, 1)}× |`;
}

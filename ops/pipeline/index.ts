import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { VectorBackendConfig } from '../../core/config/sections/vector.js';
import type { Logger } from '../../core/logger.js';
import { DuckDbBackend } from '../../subgraphs/kit/duckdb.js';
import { buildEmbeddings } from './embeddings.js';
import { buildBirdstrikes, buildFlights } from './lake.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { sourceFingerprint } from './sources.js';
import { readPipelineState, stalenessReason, writePipelineState, PIPELINE_VERSION } from './state.js';
import { trainFlightDelayModel } from './train.js';
import { buildVectorIndex } from './vectorIndex.js';
import { buildWarehouse } from './warehouse.js';

export interface PipelineOptions {
  readonly dataDir: string;
  readonly logger: Logger;
  /** Rebuild even when the data folder is current. */
  readonly force?: boolean;
  readonly progress?: ProgressReporter;
  /** `vector.backend`: the index step writes the collections into a Weaviate or Elasticsearch cluster. Embedded when absent. */
  readonly vectorBackend?: VectorBackendConfig;
}

export interface PipelineResult {
  readonly built: boolean;
  readonly reason?: string;
  readonly rows: Record<string, number>;
}

export function lakeDirectory(dataDir: string): string {
  return path.join(dataDir, 'lake');
}

/**
 * Builds the lake and the warehouse of the embedded mesh from the vega-datasets files, unless the
 * data folder is current. Each dataset and the warehouse file are published atomically, so a run
 * interrupted at any point leaves the previous data in use and the next run starts over.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { dataDir, logger } = options;
  const sources = sourceFingerprint();
  const reason = options.force ? 'a rebuild was requested' : stalenessReason(readPipelineState(dataDir), sources);
  if (!reason) {
    logger.info({ dataDir }, 'lake and warehouse are current; checking models and indexes');
    const progress = options.progress ?? createProgressReporter(logger);
    try {
      await buildModels(dataDir, progress, logger);
      await buildVectorIndex({ dataDir, progress, logger, backend: options.vectorBackend });
    } finally {
      progress.close();
    }
    return { built: false, rows: readPipelineState(dataDir)?.rows ?? {} };
  }

  logger.info({ dataDir, reason }, 'pipeline started');
  const started = performance.now();
  const lakeDir = lakeDirectory(dataDir);
  mkdirSync(lakeDir, { recursive: true });
  const progress = options.progress ?? createProgressReporter(logger);
  const duckdb = await openPipelineDuckDb(logger);

  try {
    const rows: Record<string, number> = {};
    rows.flights = await buildFlights(duckdb, lakeDir, progress);
    rows.birdstrikes = await buildBirdstrikes(duckdb, lakeDir, progress);
    Object.assign(rows, await buildWarehouse(duckdb, dataDir, lakeDir, progress));
    buildEmbeddings(dataDir, progress, logger);
    await trainFlightDelayModel(duckdb, dataDir, progress, logger);
    await buildVectorIndex({ dataDir, progress, logger, force: options.force, backend: options.vectorBackend });
    writePipelineState(dataDir, { version: PIPELINE_VERSION, sources, completedAt: new Date().toISOString(), rows });
    logger.info({ dataDir, rows, seconds: Math.round((performance.now() - started) / 100) / 10 }, 'pipeline finished');
    return { built: true, reason, rows };
  } finally {
    progress.close();
    await duckdb.close();
  }
}

/**
 * Builds the inference artifacts when the lake is current: each step skips itself when its own
 * artifact is current, so a data folder from before a model existed gets one without a rebuild.
 */
async function buildModels(dataDir: string, progress: ProgressReporter, logger: Logger): Promise<void> {
  const duckdb = await openPipelineDuckDb(logger);
  try {
    buildEmbeddings(dataDir, progress, logger);
    await trainFlightDelayModel(duckdb, dataDir, progress, logger);
  } finally {
    await duckdb.close();
  }
}

/** Steps `meshgate pipeline` can run alone, once the lake and the warehouse are built. */
export const PIPELINE_STEPS = ['train', 'index'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/**
 * Runs one step on a built data folder: `train` fits and exports the flight-delay model, `index`
 * embeds and indexes the search collections. Each skips itself when current unless `force`.
 *
 * @throws Error naming the command to run first when the lake has not been built.
 */
export async function runPipelineStep(step: PipelineStep, options: PipelineOptions): Promise<void> {
  const { dataDir, logger } = options;
  if (!readPipelineState(dataDir)) {
    throw new Error(`The data folder ${dataDir} has no lake yet; run \`meshgate pipeline\` first.`);
  }
  const progress = options.progress ?? createProgressReporter(logger);
  const duckdb = await openPipelineDuckDb(logger);
  try {
    if (step === 'train') {
      buildEmbeddings(dataDir, progress, logger);
      await trainFlightDelayModel(duckdb, dataDir, progress, logger, { force: options.force });
    } else {
      await buildVectorIndex({ dataDir, progress, logger, force: options.force, backend: options.vectorBackend });
    }
  } finally {
    progress.close();
    await duckdb.close();
  }
}

/** Opens the in-memory DuckDB the pipeline steps read sources and write datasets with, one statement at a time. */
function openPipelineDuckDb(logger: Logger): Promise<DuckDbBackend> {
  return DuckDbBackend.open({ path: ':memory:', connections: 1, logger: logger.child({ component: 'pipeline' }) });
}

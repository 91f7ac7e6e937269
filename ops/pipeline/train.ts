import type { Row } from '../../subgraphs/kit/backend.js';
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { DuckDbBackend } from '../../subgraphs/kit/duckdb.js';
import {
  FLIGHT_DELAY_INPUT,
  FLIGHT_DELAY_MODEL,
  FLIGHT_DELAY_OUTPUT,
  FLIGHT_DELAY_VERSION,
  modelFiles,
  modelRepositoryDir,
  readModelCard,
  tritonConfig,
  writeFileAtomic,
  type FeatureFile,
  type ModelCard,
  type ModelMetrics,
} from '../../subgraphs/inference/flightDelay/artifacts.js';
import { FlightFeatureEncoder, type FeatureEncoding, type FlightFeatures } from '../../subgraphs/inference/flightDelay/features.js';
import { fitRidge, NormalEquations, type LinearModel } from '../../subgraphs/inference/flightDelay/ridge.js';
import { exportLinearModel } from '../../subgraphs/inference/onnx/linearModel.js';
import { datasetReader, readManifest } from '../../subgraphs/lake/manifest.js';
import type { ProgressReporter } from './progress.js';

/** Bumped whenever training changes what it writes, so an older model is retrained. */
export const TRAINER_VERSION = 1;

/** Airports with their own one-hot column; the rest share one "other" column. */
export const TOP_AIRPORTS = 50;
/** Approximate size of the training sample; the normal equations need far fewer rows than the lake has. */
export const TRAINING_SAMPLE_ROWS = 200_000;
/** Ridge penalty per training row; small, because it only has to make the one-hot columns' Gram matrix invertible. */
export const RIDGE_LAMBDA = 1e-3;
/** Largest batch Triton may form for the exported model. */
const TRITON_MAX_BATCH = 1024;

/**
 * Rows held out for evaluation: every flight whose `id` is a multiple of 10. The split depends on
 * the row alone, so the trainer, the tests and any SQL check agree on it.
 */
export const HELD_OUT = 'id % 10 = 0';

export interface TrainingResult {
  readonly trained: boolean;
  readonly card: ModelCard;
}

/**
 * Trains the departure-delay model on the lake's flights and publishes it into the model
 * repository of `dataDir`, unless the model there was trained by this trainer version on the
 * current version of the flights dataset (`force` trains anyway).
 */
export async function trainFlightDelayModel(
  duckdb: DuckDbBackend,
  dataDir: string,
  progress: ProgressReporter,
  logger: Logger,
  options: { force?: boolean } = {},
): Promise<TrainingResult> {
  const flightsDir = path.join(dataDir, 'lake', 'flights');
  const manifest = readManifest(flightsDir);
  const files = modelFiles(modelRepositoryDir(dataDir), FLIGHT_DELAY_MODEL, FLIGHT_DELAY_VERSION);
  const current = readModelCard(files.metrics);
  const isCurrent = current && current.trainedOn.datasetVersion === manifest.version && current.trainedOn.trainerVersion === TRAINER_VERSION;
  if (current && isCurrent && !options.force) {
    logger.info({ model: FLIGHT_DELAY_MODEL, datasetVersion: manifest.version }, 'model is current; training skipped');
    return { trained: false, card: current };
  }

  const flights = datasetReader(flightsDir, manifest);
  const encoder = new FlightFeatureEncoder(await fitEncoding(duckdb, flights));
  const sample = await readTrainingSample(duckdb, flights);
  const heldOut = await readFlights(duckdb, `SELECT ${FLIGHT_COLUMNS} FROM ${flights} WHERE delay IS NOT NULL AND ${HELD_OUT}`);
  const bar = progress.start('train: flight delay', sample.length + heldOut.length, 'rows');

  const model = fitModel(encoder, sample, () => bar.increment(1_000));
  const metrics = evaluate(model, encoder, sample, heldOut, () => bar.increment(1_000));
  bar.stop();

  const card: ModelCard = {
    name: FLIGHT_DELAY_MODEL,
    version: FLIGHT_DELAY_VERSION,
    metrics,
    trainedOn: { dataset: manifest.name, datasetVersion: manifest.version, trainerVersion: TRAINER_VERSION },
    trainedAt: new Date().toISOString(),
  };
  publishModel(files, encoder, model, card);
  logger.info({ model: FLIGHT_DELAY_MODEL, ...metrics }, 'model trained');
  return { trained: true, card };
}

const FLIGHT_COLUMNS = "strftime(date, '%Y-%m-%dT%H:%M:%S') AS date, distance, origin, destination, delay";

interface LabelledFlight extends FlightFeatures {
  readonly delay: number;
}

/** Finds the top airports by departures plus arrivals, and the distance mean and standard deviation, over the training split. */
async function fitEncoding(duckdb: DuckDbBackend, flights: string): Promise<FeatureEncoding> {
  const training = `SELECT * FROM ${flights} WHERE NOT (${HELD_OUT})`;
  const airports = await duckdb.query({
    sql: `SELECT iata, count(*) AS traffic FROM (SELECT origin AS iata FROM (${training}) UNION ALL SELECT destination FROM (${training})) ` +
      'GROUP BY iata ORDER BY traffic DESC, iata LIMIT $1',
    params: [TOP_AIRPORTS],
  });
  const distance = await duckdb.query({ sql: `SELECT avg(distance) AS mean, stddev_pop(distance) AS sd FROM (${training})`, params: [] });
  return {
    airports: airports.map((row) => String(row.iata)),
    distanceMean: Number(distance[0].mean),
    distanceStandardDeviation: Number(distance[0].sd),
  };
}

/**
 * Reads a deterministic sample of the training split: all training rows of every `stride`-th block of
 * ten ids, with `stride` chosen for about `TRAINING_SAMPLE_ROWS` rows.
 */
async function readTrainingSample(duckdb: DuckDbBackend, flights: string): Promise<LabelledFlight[]> {
  const count = await duckdb.query({ sql: `SELECT count(*) AS rows FROM ${flights} WHERE delay IS NOT NULL AND NOT (${HELD_OUT})`, params: [] });
  const stride = Math.max(1, Math.ceil(Number(count[0].rows) / TRAINING_SAMPLE_ROWS));
  return readFlights(
    duckdb,
    `SELECT ${FLIGHT_COLUMNS} FROM ${flights} WHERE delay IS NOT NULL AND NOT (${HELD_OUT}) AND (id // 10) % ${stride} = 0 ORDER BY id`,
  );
}

async function readFlights(duckdb: DuckDbBackend, sql: string): Promise<LabelledFlight[]> {
  const rows = await duckdb.query({ sql, params: [] });
  return rows.map(toLabelledFlight);
}

function toLabelledFlight(row: Row): LabelledFlight {
  return {
    date: String(row.date),
    distance: row.distance === null ? null : Number(row.distance),
    origin: String(row.origin),
    destination: String(row.destination),
    delay: Number(row.delay),
  };
}

function fitModel(encoder: FlightFeatureEncoder, sample: readonly LabelledFlight[], onThousand: () => void): LinearModel {
  const equations = new NormalEquations(encoder.width);
  const row = new Float32Array(encoder.width);
  sample.forEach((flight, i) => {
    row.fill(0);
    encoder.encodeInto(flight, row, 0);
    equations.add(row, 0, flight.delay);
    if (i % 1_000 === 999) onThousand();
  });
  return fitRidge(equations, RIDGE_LAMBDA);
}

/** MAE and RMSE on the held-out rows, of the model and of the training-mean baseline. */
function evaluate(model: LinearModel, encoder: FlightFeatureEncoder, sample: readonly LabelledFlight[], heldOut: readonly LabelledFlight[], onThousand: () => void): ModelMetrics {
  const trainingMean = sample.reduce((sum, flight) => sum + flight.delay, 0) / sample.length;
  const row = new Float32Array(encoder.width);
  const errors = { absolute: 0, squared: 0, baselineAbsolute: 0, baselineSquared: 0 };

  heldOut.forEach((flight, i) => {
    row.fill(0);
    encoder.encodeInto(flight, row, 0);
    let predicted = model.bias;
    for (let j = 0; j < encoder.width; j += 1) predicted += row[j] * model.weights[j];
    errors.absolute += Math.abs(flight.delay - predicted);
    errors.squared += (flight.delay - predicted) ** 2;
    errors.baselineAbsolute += Math.abs(flight.delay - trainingMean);
    errors.baselineSquared += (flight.delay - trainingMean) ** 2;
    if (i % 1_000 === 999) onThousand();
  });

  const n = heldOut.length;
  return {
    trainingRows: sample.length,
    heldOutRows: n,
    mae: errors.absolute / n,
    rmse: Math.sqrt(errors.squared / n),
    baselineMae: errors.baselineAbsolute / n,
    baselineRmse: Math.sqrt(errors.baselineSquared / n),
    trainingMean,
    ridgeLambda: RIDGE_LAMBDA,
  };
}

/** Writes the ONNX file, the feature encoding, the Triton config and last `metrics.json`, which marks the model complete. */
function publishModel(files: ReturnType<typeof modelFiles>, encoder: FlightFeatureEncoder, model: LinearModel, card: ModelCard): void {
  const spec = { inputName: FLIGHT_DELAY_INPUT, outputName: FLIGHT_DELAY_OUTPUT, width: encoder.width };
  const description = `Ridge regression of the departure delay in minutes, trained on ${card.metrics.trainingRows} flights.`;
  const features: FeatureFile = { ...spec, encoding: encoder.encoding };

  writeFileAtomic(files.onnx, exportLinearModel(model, spec, description));
  writeFileAtomic(files.features, `${JSON.stringify(features, null, 2)}\n`);
  writeFileAtomic(files.tritonConfig, tritonConfig(FLIGHT_DELAY_MODEL, spec, TRITON_MAX_BATCH));
  writeFileAtomic(files.metrics, `${JSON.stringify(card, null, 2)}\n`);
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureEncoding } from './features.js';

/** Name of the departure-delay model in the model repository and in the API. */
export const FLIGHT_DELAY_MODEL = 'flight_delay';
/** The model repository's version folder; retraining replaces it. */
export const FLIGHT_DELAY_VERSION = '1';
export const FLIGHT_DELAY_INPUT = 'features';
export const FLIGHT_DELAY_OUTPUT = 'delay';

/** Held-out errors of the model and of the baseline that predicts the training mean, in minutes. */
export interface ModelMetrics {
  readonly trainingRows: number;
  readonly heldOutRows: number;
  readonly mae: number;
  readonly rmse: number;
  readonly baselineMae: number;
  readonly baselineRmse: number;
  readonly trainingMean: number;
  readonly ridgeLambda: number;
}

/** The content of `metrics.json`: the metrics and what the model was trained on. */
export interface ModelCard {
  readonly name: string;
  readonly version: string;
  readonly metrics: ModelMetrics;
  readonly trainedOn: { readonly dataset: string; readonly datasetVersion: string; readonly trainerVersion: number };
  readonly trainedAt: string;
}

/** The content of `features.json`: how the server encodes a flight into the model's input. */
export interface FeatureFile {
  readonly inputName: string;
  readonly outputName: string;
  readonly width: number;
  readonly encoding: FeatureEncoding;
}

/** The Triton-style model repository of the embedded mesh. */
export function modelRepositoryDir(dataDir: string): string {
  return path.join(dataDir, 'models', 'repository');
}

/** Files of one model version: `<repository>/<name>/<version>/…` and `<repository>/<name>/config.pbtxt`. */
export function modelFiles(repositoryDir: string, name: string, version: string) {
  const versionDir = path.join(repositoryDir, name, version);
  return {
    versionDir,
    onnx: path.join(versionDir, 'model.onnx'),
    metrics: path.join(versionDir, 'metrics.json'),
    features: path.join(versionDir, 'features.json'),
    tritonConfig: path.join(repositoryDir, name, 'config.pbtxt'),
  };
}

export function readModelCard(file: string): ModelCard | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ModelCard;
}

export function readFeatureFile(file: string): FeatureFile {
  return JSON.parse(readFileSync(file, 'utf8')) as FeatureFile;
}

/** Writes a file through a temporary sibling and a rename, so readers never see half of it. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

/**
 * Builds the Triton model configuration of a float model `[batch, width] → [batch, 1]`. With
 * `max_batch_size` above 0, Triton's `dims` leave out the batch dimension.
 */
export function tritonConfig(name: string, spec: { inputName: string; outputName: string; width: number }, maxBatchSize: number): string {
  return [
    `name: "${name}"`,
    'backend: "onnxruntime"',
    `max_batch_size: ${maxBatchSize}`,
    'input [',
    `  { name: "${spec.inputName}" data_type: TYPE_FP32 dims: [ ${spec.width} ] }`,
    ']',
    'output [',
    `  { name: "${spec.outputName}" data_type: TYPE_FP32 dims: [ 1 ] }`,
    ']',
    'dynamic_batching { }',
    '',
  ].join('\n');
}

import { existsSync } from 'node:fs';
import {
  FLIGHT_DELAY_MODEL,
  FLIGHT_DELAY_VERSION,
  modelFiles,
  readFeatureFile,
  readModelCard,
  type FeatureFile,
  type ModelCard,
} from '../flightDelay/artifacts.js';

/** A model of the repository that the subgraph serves. */
export interface ServedModel {
  readonly name: string;
  readonly version: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputWidth: number;
  readonly card: ModelCard;
  readonly features: FeatureFile;
  readonly onnxFile: string;
}

/**
 * Reads the served models from the model repository.
 *
 * @throws Error naming the folder when a model has not been trained yet
 */
export function loadModelCatalog(repositoryDir: string): Map<string, ServedModel> {
  const files = modelFiles(repositoryDir, FLIGHT_DELAY_MODEL, FLIGHT_DELAY_VERSION);
  const card = readModelCard(files.metrics);
  if (!card || !existsSync(files.onnx)) {
    throw new Error(`Model ${FLIGHT_DELAY_MODEL} is not in ${files.versionDir}; run \`meshgate pipeline\` to train it.`);
  }

  const features = readFeatureFile(files.features);
  const model: ServedModel = {
    name: card.name,
    version: card.version,
    inputName: features.inputName,
    outputName: features.outputName,
    inputWidth: features.width,
    card,
    features,
    onnxFile: files.onnx,
  };
  return new Map([[model.name, model]]);
}

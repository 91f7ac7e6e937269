import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigInput } from '../../../core/config/index.js';
import type { ServiceHandle } from '../../../core/http/service.js';
import { createLogger, type Logger } from '../../../core/logger.js';
import { withEphemeralPorts } from '../../../ops/bench/run.js';
import { FLIGHT_DELAY_VERSION, modelFiles, modelRepositoryDir, writeFileAtomic, type FeatureFile, type ModelCard } from '../../../subgraphs/inference/flightDelay/artifacts.js';
import { startInferenceSubgraph } from '../../../subgraphs/inference/index.js';

/**
 * The feature encoding of the hand-written model: two airports with their own column, so rows
 * are 24 + 7 + 12 + 1 + 2 × (2 + 1) = 50 wide.
 */
export const FEATURES: FeatureFile = {
  inputName: 'features',
  outputName: 'delay',
  width: 50,
  encoding: { airports: ['ORD', 'ATL'], distanceMean: 1000, distanceStandardDeviation: 500 },
};

const CARD: ModelCard = {
  name: 'flight_delay',
  version: FLIGHT_DELAY_VERSION,
  metrics: { trainingRows: 10, heldOutRows: 5, mae: 1, rmse: 2, baselineMae: 3, baselineRmse: 4, trainingMean: 5, ridgeLambda: 1 },
  trainedOn: { dataset: 'flights', datasetVersion: 'test', trainerVersion: 1 },
  trainedAt: '2001-01-01T00:00:00.000Z',
};

export interface RemoteSubgraph {
  readonly service: ServiceHandle;
  readonly graphqlUrl: string;
  stop(): Promise<void>;
}

type InferenceInput = NonNullable<ConfigInput['inference']>;

/** The `kserve` and `openai` config sections of the subgraph, as a config file gives them. */
export interface RemoteBackends {
  readonly kserve: NonNullable<NonNullable<InferenceInput['predictions']>['kserve']>;
  readonly openai: NonNullable<NonNullable<InferenceInput['embeddings']>['openai']>;
}

/**
 * Starts the inference subgraph alone with both remote backends configured, on a model
 * repository written by hand: no training and no ONNX session, because the remote server runs
 * the model. The `model.onnx` file is empty because only its presence is checked. Logs are
 * dropped unless `logger` is given.
 */
export async function startRemoteSubgraph(backends: RemoteBackends, logger: Logger = createLogger({ level: 'silent' })): Promise<RemoteSubgraph> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-remote-'));
  const files = modelFiles(modelRepositoryDir(dataDir), CARD.name, CARD.version);
  writeFileAtomic(files.features, JSON.stringify(FEATURES));
  writeFileAtomic(files.metrics, JSON.stringify(CARD));
  writeFileAtomic(files.onnx, new Uint8Array());

  const inference = {
    predictions: { backend: 'kserve', kserve: backends.kserve },
    embeddings: { backend: 'openai', openai: backends.openai },
  } as const;
  const config = withEphemeralPorts(loadConfig({ env: {}, overrides: { dataDir, inference } }));
  let service: ServiceHandle;
  try {
    service = await startInferenceSubgraph(config, logger);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    service,
    graphqlUrl: `${service.url}/graphql`,
    stop: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

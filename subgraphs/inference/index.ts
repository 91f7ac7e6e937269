import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { MeshConfig } from '../../core/config/index.js';
import type { ServiceHandle } from '../../core/http/service.js';
import type { Logger } from '../../core/logger.js';
import { FEDERATION_LINK } from '../kit/generate.js';
import { SCALARS_SDL, scalarResolvers } from '../kit/scalars.js';
import { startSubgraph } from '../kit/server.js';
import { KServePredictor } from './clients/kserve.js';
import { OpenAiClient } from './clients/openai.js';
import { modelRepositoryDir } from './flightDelay/artifacts.js';
import { inferenceResolvers } from './resolvers.js';
import { loadModelCatalog, type ServedModel } from './serving/catalog.js';
import { openAiEmbedder, wordVectorEmbedder, type Embedder } from './serving/embedder.js';
import { OnnxPredictor } from './serving/onnxPredictor.js';
import { readApiKey } from '../../core/config/apiKey.js';
import type { Predictor } from './serving/predictor.js';

export const INFERENCE_SDL_FILE = path.join(__dirname, 'schema.graphql');

/** Builds the SDL the inference subgraph serves: the federation link, the mesh's scalars and its own types. */
export function inferenceSdl(): string {
  return `${[FEDERATION_LINK, SCALARS_SDL.trim(), readFileSync(INFERENCE_SDL_FILE, 'utf8').trim()].join('\n\n')}\n`;
}

/** The binary word-vector cache that `meshgate pipeline` builds. */
export function embeddingCachePath(dataDir: string): string {
  return path.join(dataDir, 'models', 'embeddings.bin');
}

/**
 * Creates the predictor the config selects: onnxruntime-node in-process, or a KServe v2 server
 * that it waits for at startup (`readyTimeoutMs`).
 *
 * @throws Error when the KServe server is not ready in time or publishes tensors that do not fit a
 *   served model
 */
export async function createPredictor(config: MeshConfig, models: ReadonlyMap<string, ServedModel>, logger: Logger): Promise<Predictor> {
  const { predictions } = config.inference;
  if (predictions.backend === 'kserve' && predictions.kserve) {
    return KServePredictor.connect({ ...predictions.kserve, logger: logger.child({ component: 'kserve' }) }, [...models.values()]);
  }
  return OnnxPredictor.open(new Map([...models.values()].map((model) => [model.name, model.onnxFile])));
}

/** Creates the embedder the config selects: the word-vector cache, or an OpenAI-compatible server. */
export function createEmbedder(config: MeshConfig, logger: Logger): Embedder {
  const { embeddings } = config.inference;
  if (embeddings.backend === 'openai' && embeddings.openai) {
    const { apiKeyEnv, ...server } = embeddings.openai;
    const apiKey = readApiKey({ apiKeyEnv }, 'inference.embeddings.openai');
    const client = new OpenAiClient({ ...server, apiKey, logger: logger.child({ component: 'openai' }) });
    return openAiEmbedder(client);
  }
  return wordVectorEmbedder(embeddingCachePath(config.dataDir));
}

/**
 * Starts the inference subgraph on the models of `<dataDir>/models`. Its `/metrics` counts model
 * runs as `meshgate_backend_statements_total`, so batching shows as runs per request.
 *
 * @throws Error naming the folder when the models have not been built by `meshgate pipeline`
 */
export async function startInferenceSubgraph(config: MeshConfig, logger: Logger): Promise<ServiceHandle> {
  const models = loadModelCatalog(modelRepositoryDir(config.dataDir));
  const embedder = createEmbedder(config, logger);
  const predictor = await createPredictor(config, models, logger);
  const { maxTexts, maxTextLength } = config.inference.embeddings;
  const limits = { maxTexts, maxTextLength, maxRows: config.inference.predictions.maxRows };

  return startSubgraph({
    name: 'inference',
    typeDefs: parse(inferenceSdl()),
    resolvers: [scalarResolvers, inferenceResolvers({ models, predictor, embedder, limits })],
    host: config.subgraphs.inference.host,
    port: config.subgraphs.inference.port,
    logger,
    shutdownGraceMs: config.gateway.shutdownGraceMs,
    onClose: () => predictor.close(),
    statementsRun: () => predictor.runs,
    ready: () => predictor.ready,
  });
}

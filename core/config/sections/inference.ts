import { z } from 'zod';
import { environmentVariableName, serviceUrl } from './common.js';

/**
 * Builds the options for the time bounds and retries of every request to a model server. Only
 * idempotent requests are retried: KServe v2 infer, metadata and readiness, and OpenAI-compatible
 * embeddings.
 */
function requestBounds(defaults: { timeoutMs: number; totalTimeoutMs: number }) {
  return {
    /** Time one attempt may take, reading the response included, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(defaults.timeoutMs),
    /** Retries after the first attempt of an idempotent request. With 0, every request is sent once. */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /** Delay before the first retry, in milliseconds. It doubles with every further retry, plus random jitter. */
    retryBaseMs: z.number().int().min(1).default(200),
    /** Maximum delay before one retry, in milliseconds. A longer `Retry-After` from the server is cut to it. */
    retryMaxDelayMs: z.number().int().min(1).default(5_000),
    /** Maximum time one request may take with all its attempts and delays, in milliseconds. */
    totalTimeoutMs: z.number().int().min(1).default(defaults.totalTimeoutMs),
  };
}

/** Rejects a total time bound shorter than one attempt, which would cut every first attempt short. */
function checkTotalTimeout(value: { timeoutMs: number; totalTimeoutMs: number }, context: z.RefinementCtx): void {
  if (value.totalTimeoutMs >= value.timeoutMs) return;
  context.addIssue({
    code: 'custom',
    path: ['totalTimeoutMs'],
    message: `totalTimeoutMs ${value.totalTimeoutMs} must not be less than timeoutMs ${value.timeoutMs}`,
  });
}

/**
 * A model version of the v2 protocol. A number is accepted too, because a `MESHGATE_*` variable
 * such as `…__VERSION=2` is parsed as JSON.
 */
const modelVersion = z
  .union([z.string().regex(/^[^/]+$/, 'expected a version without "/"'), z.number().int().min(1)])
  .transform(String);

/** An OpenAI-compatible server (vLLM, TEI, OpenAI): its base URL, model and where its key is read from. */
const openAiServer = z
  .object({
    /** Base URL without `/v1`, for example `http://vllm:8000`. */
    url: serviceUrl,
    /** Model name sent in every request. */
    model: z.string().min(1),
    /** Environment variable holding the API key, sent as a bearer token; no key is sent without it. */
    apiKeyEnv: environmentVariableName.optional(),
    ...requestBounds({ timeoutMs: 30_000, totalTimeoutMs: 60_000 }),
    /**
     * Maximum number of texts in one `/v1/embeddings` request. More texts are split into several
     * requests. The default is the `--max-client-batch-size` default of Text Embeddings Inference (TEI).
     */
    maxBatch: z.number().int().min(1).default(32),
    /** Vector length the model must return. A vector of another length fails with EMBEDDING_DIMENSION_MISMATCH. */
    dimension: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine(checkTotalTimeout);

/** A KServe v2 / Triton inference server speaking the v2 HTTP/REST protocol. */
const kserveServer = z
  .object({
    /** Base URL, for example `http://triton:8000`; requests go to `/v2/models/{name}/infer`. */
    url: serviceUrl,
    /** Model version to use. Requests then go to `/v2/models/{name}/versions/{version}/…`; without it the server picks one. */
    version: modelVersion.optional(),
    ...requestBounds({ timeoutMs: 10_000, totalTimeoutMs: 30_000 }),
    /** Time the subgraph waits at startup for the server and its models to report ready, in milliseconds. With 0 it checks once. */
    readyTimeoutMs: z.number().int().min(0).default(120_000),
    /** Interval between readiness checks, at startup and while serving, in milliseconds. */
    readyPollMs: z.number().int().min(1).default(5_000),
  })
  .strict()
  .superRefine(checkTotalTimeout);

/**
 * The `inference` section: which backend computes embeddings and predictions. The embedded
 * defaults (word vectors and onnxruntime-node on CPU) need no server; the remote backends are
 * the production choice on GPU nodes.
 */
export const inferenceConfigSchema = z
  .object({
    embeddings: z
      .object({
        backend: z.enum(['embedded', 'openai']).default('embedded'),
        /** Required when `backend` is `openai`. */
        openai: openAiServer.optional(),
        /** Most texts one `embed` request may carry. */
        maxTexts: z.number().int().min(1).max(10_000).default(256),
        /** Longest text one `embed` request may carry, in UTF-16 code units. */
        maxTextLength: z.number().int().min(1).default(10_000),
      })
      .strict()
      .prefault({})
      .refine((value) => value.backend !== 'openai' || value.openai !== undefined, {
        message: 'set inference.embeddings.openai when inference.embeddings.backend is openai',
        path: ['openai'],
      }),
    predictions: z
      .object({
        backend: z.enum(['onnxruntime', 'kserve']).default('onnxruntime'),
        /** Required when `backend` is `kserve`. */
        kserve: kserveServer.optional(),
        /** Most rows one `predict` request may carry. */
        maxRows: z.number().int().min(1).default(10_000),
      })
      .strict()
      .prefault({})
      .refine((value) => value.backend !== 'kserve' || value.kserve !== undefined, {
        message: 'set inference.predictions.kserve when inference.predictions.backend is kserve',
        path: ['kserve'],
      }),
  })
  .strict();

export type InferenceConfig = z.infer<typeof inferenceConfigSchema>;

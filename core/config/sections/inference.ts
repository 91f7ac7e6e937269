import { z } from 'zod';

/** An OpenAI-compatible server (vLLM, TEI, OpenAI): its base URL, model and where its key is read from. */
const openAiServer = z
  .object({
    /** Base URL without `/v1`, for example `http://vllm:8000`. */
    url: z.url(),
    /** Model name sent in every request. */
    model: z.string().min(1),
    /** Environment variable holding the API key, sent as a bearer token; no key is sent without it. */
    apiKeyEnv: z.string().min(1).optional(),
    /** Time to wait for a response, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(30_000),
  })
  .strict();

/** A KServe v2 / Triton inference server speaking the v2 HTTP/REST protocol. */
const kserveServer = z
  .object({
    /** Base URL, for example `http://triton:8000`; requests go to `/v2/models/{name}/infer`. */
    url: z.url(),
    /** Time to wait for a response, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(10_000),
  })
  .strict();

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

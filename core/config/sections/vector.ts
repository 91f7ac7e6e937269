import { z } from 'zod';

/** An OpenAI-compatible server that turns retrieved passages into a generated answer. */
const generation = z
  .object({
    /** Base URL; requests go to `<url>/v1/chat/completions`. */
    url: z.url(),
    model: z.string().min(1),
    /** Sent as `Authorization: Bearer <apiKey>` when set. */
    apiKey: z.string().min(1).optional(),
    /** Time allowed for one completion, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(30_000),
  })
  .strict();

/** Backend of the collections: the embedded index under `<dataDir>/vector`, or a search cluster. */
const backend = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }).strict(),
  z.object({ kind: z.literal('weaviate'), url: z.url(), apiKey: z.string().min(1).optional() }).strict(),
  z.object({ kind: z.literal('elasticsearch'), url: z.url(), apiKey: z.string().min(1).optional() }).strict(),
]);

/** The vector subgraph: search backend, exact-versus-HNSW switch and answer generation. */
export const vectorSection = z
  .object({
    backend: backend.default({ kind: 'embedded' }),
    /** Collections with fewer live documents than this are searched exactly; larger ones through HNSW. */
    exactSearchBelow: z.number().int().min(0).default(10_000),
    /** Largest `first` of `search` and `answer`. */
    maxResults: z.number().int().min(1).default(100),
    /** Without it, `answer` is extractive: the best passages with their sources. */
    generation: generation.optional(),
  })
  .strict();

export type VectorConfig = z.infer<typeof vectorSection>;

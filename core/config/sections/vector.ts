import { z } from 'zod';
import { environmentVariableName, serviceUrl } from './common.js';

/**
 * Options that name the source of a server's API key: an environment variable or a file, such as a
 * mounted Kubernetes Secret. The config file never contains the key itself, so it stays out of the
 * repository and out of logs that print the configuration.
 */
const apiKeySource = {
  /** Environment variable holding the API key. */
  apiKeyEnv: environmentVariableName.optional(),
  /** File holding the API key; leading and trailing whitespace is ignored. */
  apiKeyFile: z.string().min(1).optional(),
};

function namesOneApiKeySource(options: { apiKeyEnv?: string; apiKeyFile?: string }): boolean {
  return options.apiKeyEnv === undefined || options.apiKeyFile === undefined;
}

const ONE_API_KEY_SOURCE = { message: 'set apiKeyEnv or apiKeyFile, not both', path: ['apiKeyFile'] };

/** An OpenAI-compatible server that turns retrieved passages into a generated answer. */
const generation = z
  .object({
    /** Base URL; requests go to `<url>/v1/chat/completions`. */
    url: serviceUrl,
    model: z.string().min(1),
    /** Sent as `Authorization: Bearer <key>` when set. */
    ...apiKeySource,
    /** Time allowed for one completion, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(30_000),
  })
  .strict()
  .refine(namesOneApiKeySource, ONE_API_KEY_SOURCE);

/**
 * Weaviate tenant names: Weaviate accepts 1 to 64 letters, digits, `-` and `_`. weaviate-ts-client
 * 2.2 writes the name into GraphQL queries unescaped, so the check also keeps quotes out of them.
 */
const WEAVIATE_TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** A Weaviate cluster: one class per collection, objects with the vectors the pipeline computed. */
const weaviate = z
  .object({
    kind: z.literal('weaviate'),
    /** Base URL, for example `http://weaviate:8080`. */
    url: serviceUrl,
    ...apiKeySource,
    /** Time allowed for one request, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(10_000),
    /** Objects per batch import or batch delete request; Weaviate's default QUERY_MAXIMUM_RESULTS (10,000) bounds deletes. */
    batchSize: z.number().int().min(1).max(10_000).default(100),
    /** Tenant of multi-tenant classes; every object and query carries it. Without it, classes are created without multi-tenancy. */
    tenant: z.string().regex(WEAVIATE_TENANT, 'expected 1 to 64 letters, digits, "-" or "_"').optional(),
  })
  .strict()
  .refine(namesOneApiKeySource, ONE_API_KEY_SOURCE);

/** An Elasticsearch cluster: one index per collection, mapped by an index template. */
const elasticsearch = z
  .object({
    kind: z.literal('elasticsearch'),
    /** Base URL, for example `http://elasticsearch:9200`. */
    url: serviceUrl,
    ...apiKeySource,
    /** Time the client waits for one response, in milliseconds. */
    timeoutMs: z.number().int().min(1).default(10_000),
    /** Times the client repeats a request after a connection error or HTTP 502, 503 or 504. */
    maxRetries: z.number().int().min(0).max(10).default(3),
    /**
     * Time Elasticsearch gives a search before it returns the hits found so far with `timed_out: true`,
     * in milliseconds. Without it, the cluster's `search.default_search_timeout` applies.
     */
    searchTimeoutMs: z.number().int().min(1).optional(),
    /** Documents per bulk request. */
    batchSize: z.number().int().min(1).max(10_000).default(500),
  })
  .strict()
  .refine(namesOneApiKeySource, ONE_API_KEY_SOURCE);

/** Backend of the collections: the embedded index under `<dataDir>/vector`, or a search cluster. */
const backend = z.discriminatedUnion('kind', [z.object({ kind: z.literal('embedded') }).strict(), weaviate, elasticsearch]);

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
export type VectorBackendConfig = VectorConfig['backend'];
export type WeaviateConfig = z.infer<typeof weaviate>;
export type ElasticsearchConfig = z.infer<typeof elasticsearch>;
export type GenerationConfig = z.infer<typeof generation>;

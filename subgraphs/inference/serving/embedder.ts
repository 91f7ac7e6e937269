import type { ModelInfo } from '../embeddings/index.js';
import { loadEmbeddingModel } from '../embeddings/index.js';
import type { OpenAiClient } from '../clients/openai.js';

/** Vectors of a batch of texts, as the `embed` query returns them. */
export interface EmbeddedBatch {
  readonly model: ModelInfo & { readonly dimension: number };
  readonly vectors: number[][];
  /** Null when the backend does not report out-of-vocabulary tokens. */
  readonly oovCounts: number[] | null;
}

export interface Embedder {
  embed(texts: readonly string[]): Promise<EmbeddedBatch>;
}

/** Embeds in-process with the word-vector model of the binary cache. */
export function wordVectorEmbedder(cacheFile: string): Embedder {
  const model = loadEmbeddingModel(cacheFile);
  return {
    embed: (texts) => {
      const result = model.embed(texts);
      return Promise.resolve({
        model: { ...result.model, dimension: result.dimension },
        vectors: result.vectors.map((vector) => Array.from(vector)),
        oovCounts: result.oovCounts,
      });
    },
  };
}

/**
 * Embeds on an OpenAI-compatible server. The model name is the one the server reports, and the
 * dimension is that of the vectors it returns; the protocol has no model version.
 */
export function openAiEmbedder(client: OpenAiClient): Embedder {
  return {
    embed: async (texts) => {
      const { model, vectors } = await client.embed(texts);
      return { model: { name: model, version: 'remote', dimension: vectors[0]?.length ?? 0 }, vectors, oovCounts: null };
    },
  };
}

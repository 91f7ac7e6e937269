export type MetadataValue = string | number | boolean | null;
export type Metadata = Readonly<Record<string, MetadataValue>>;

/** A document of a collection: its text for keyword search and its embedding for vector search. */
export interface VectorDocument {
  readonly id: string;
  readonly text: string;
  readonly vector: Float32Array;
  readonly metadata: Metadata;
}

export type SearchMode = 'keyword' | 'vector' | 'hybrid';

/** Bounds of a numeric range filter; a document whose value is not a number never matches. */
export interface NumberRange {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}

/** A condition on one metadata field, with exactly one of `eq`, `in` or `range`. */
export interface MetadataFilter {
  readonly field: string;
  readonly eq?: MetadataValue;
  readonly in?: readonly MetadataValue[];
  readonly range?: NumberRange;
}

export interface SearchRequest {
  readonly mode: SearchMode;
  /** Query text, required by `keyword` and `hybrid`. */
  readonly text?: string;
  /** Query embedding, required by `vector` and `hybrid`. */
  readonly vector?: Float32Array;
  /** Conditions that all must hold; they select the candidates before any ranking. */
  readonly filters?: readonly MetadataFilter[];
  /** Number of hits to return; 10 when absent. */
  readonly first?: number;
}

export interface SearchHit {
  readonly id: string;
  /** BM25 score (`keyword`), cosine similarity (`vector`) or reciprocal rank fusion score (`hybrid`). */
  readonly score: number;
  readonly snippet: string;
  readonly metadata: Metadata;
}

/** HNSW graph parameters, as hnswlib names them. */
export interface HnswOptions {
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly randomSeed: number;
}

export interface CollectionOptions {
  readonly dimension: number;
  /** Live documents from which vector search uses the HNSW graph instead of an exact scan. */
  readonly hnswThreshold: number;
  readonly hnsw: HnswOptions;
  /** Depth of each ranking that hybrid search fuses. */
  readonly fusionDepth: number;
  /** Largest accepted `first`. */
  readonly maxResults: number;
}

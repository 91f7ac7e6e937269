import type { Metadata, MetadataFilter, SearchMode } from '../index/index.js';

/** One collection's search request, with the query already embedded. */
export interface CollectionSearch {
  readonly collection: string;
  readonly mode: SearchMode;
  readonly text: string;
  readonly vector: Float32Array;
  readonly filters: readonly MetadataFilter[];
  readonly first: number;
}

/** A document a backend found or looked up. */
export interface CollectionHit {
  readonly id: string;
  /** Backend score: higher is better; comparable across collections of the same backend and mode. */
  readonly score: number;
  readonly snippet: string;
  readonly text: string;
  readonly metadata: Metadata;
}

/**
 * A backend response that may lack documents. `partialFailure` is set when the backend returned
 * results but also reported a failure next to them (failed shards, a search timeout, GraphQL
 * errors), and states that failure as a sentence for the client.
 */
export interface PartialResponse {
  readonly partialFailure?: string;
}

/** The hits of one collection search, best first. */
export interface CollectionResult extends PartialResponse {
  readonly hits: CollectionHit[];
}

/** The documents found by id; a missing id has no entry. */
export interface LookupResult extends PartialResponse {
  readonly found: Map<string, CollectionHit>;
}

/** The search interface that the embedded index, Weaviate and Elasticsearch implement alike. */
export interface SearchBackend {
  readonly kind: 'embedded' | 'weaviate' | 'elasticsearch';
  /** Returns the best `first` documents of one collection, best first. */
  search(request: CollectionSearch): Promise<CollectionResult>;
  /** Returns the documents with the given ids. */
  lookup(collection: string, ids: readonly string[]): Promise<LookupResult>;
  close(): Promise<void>;
}

/** Type of a metadata field in a search cluster's schema; `text` fields are matched exactly. */
export type MetadataFieldType = 'text' | 'number' | 'boolean';

/** The definition of a collection's class or index in a search cluster. */
export interface CollectionLayout {
  readonly name: string;
  /** Dimension of the embedding model's vectors. */
  readonly dimension: number;
  /** The filterable metadata fields that `@collection(metadata:)` declares, with their types. */
  readonly metadata: ReadonlyArray<{ readonly name: string; readonly type: MetadataFieldType }>;
}

/** A document with its embedding and content hash, as `meshgate pipeline index` writes it. */
export interface DocumentToWrite {
  readonly id: string;
  readonly text: string;
  readonly metadata: Metadata;
  /** Unset for a text without known words: its embedding has no direction, so only keyword search finds it. */
  readonly vector?: Float32Array;
  /** Hash of the text and metadata; the next run compares it to skip unchanged documents. */
  readonly contentHash: string;
}

/**
 * The write side of a search cluster, which `meshgate pipeline index` uses to keep each collection
 * equal to its sources. Writes and deletes go in batches of `batchSize`; a method that gets a
 * per-document error from the cluster throws an Error naming the documents.
 */
export interface IndexWriter {
  readonly kind: 'weaviate' | 'elasticsearch';
  /** Documents per batch request. */
  readonly batchSize: number;
  /** Creates the collection's class, index template or index when missing. */
  prepare(layout: CollectionLayout): Promise<void>;
  /** Returns the content hash of every stored document of a collection, by document id. */
  storedHashes(collection: string): Promise<Map<string, string>>;
  /** Adds or replaces documents of the collection `layout` describes, in one batch request. */
  write(layout: CollectionLayout, documents: readonly DocumentToWrite[]): Promise<void>;
  /** Deletes documents by id in one batch request; an id that is not stored is not an error. */
  remove(collection: string, ids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

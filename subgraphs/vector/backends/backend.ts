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

/** The search interface that the embedded index, Weaviate and Elasticsearch implement alike. */
export interface SearchBackend {
  readonly kind: 'embedded' | 'weaviate' | 'elasticsearch';
  /** Returns the best `first` documents of one collection, best first. */
  search(request: CollectionSearch): Promise<CollectionHit[]>;
  /** Returns the documents with the given ids; a missing id has no entry. */
  lookup(collection: string, ids: readonly string[]): Promise<Map<string, CollectionHit>>;
  close(): Promise<void>;
}

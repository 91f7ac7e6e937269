import { createHash } from 'node:crypto';
import { errors } from '../../../core/errors/index.js';
import type { VectorCollection } from './collection.js';
import type { Metadata } from './types.js';

/** A document as its source provides it, before embedding. */
export interface SourceDocument {
  readonly id: string;
  readonly text: string;
  readonly metadata: Metadata;
}

/** Embeds texts, one vector per text in order; `EmbeddingModel.embed(texts).vectors` fits. */
export type EmbedTexts = (texts: string[]) => Float32Array[] | Promise<Float32Array[]>;

export interface ReindexCounts {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** Returns the SHA-256 of a document's text and metadata, with metadata keys in sorted order. */
export function contentHash(document: SourceDocument): string {
  const metadata = Object.keys(document.metadata).sort().map((key) => [key, document.metadata[key]]);
  return createHash('sha256').update(JSON.stringify([document.text, metadata])).digest('hex');
}

/** The writes and deletes that make the stored documents equal the listed ones. */
export interface ReindexPlan {
  /** New and changed documents, with their content hashes, in listing order. */
  readonly changed: ReadonlyArray<{ readonly document: SourceDocument; readonly hash: string }>;
  /** Ids of stored documents that are no longer listed. */
  readonly stale: string[];
  readonly counts: ReindexCounts;
}

/**
 * Compares the listed documents with the content hashes of the stored ones, by id. A document is
 * changed when its hash differs from the stored one, and every document is when `force` is set.
 * Throws `BAD_USER_INPUT` when an id appears twice.
 */
export function planReindex(documents: readonly SourceDocument[], storedHashes: ReadonlyMap<string, string>, force = false): ReindexPlan {
  checkUniqueIds(documents);
  const changed = documents.map((document) => ({ document, hash: contentHash(document) })).filter(({ document, hash }) => force || storedHashes.get(document.id) !== hash);
  const added = changed.filter(({ document }) => !storedHashes.has(document.id)).length;

  const listed = new Set(documents.map((document) => document.id));
  const stale = [...storedHashes.keys()].filter((id) => !listed.has(id));
  return { changed, stale, counts: { added, updated: changed.length - added, removed: stale.length, unchanged: documents.length - changed.length } };
}

/**
 * Makes the collection hold exactly `documents`: embeds and upserts the new and changed ones (by
 * content hash), removes the ones no longer listed and leaves the rest untouched.
 * Throws `BAD_USER_INPUT` when an id appears twice.
 */
export async function reindexCollection(
  collection: VectorCollection,
  documents: readonly SourceDocument[],
  embed: EmbedTexts,
): Promise<ReindexCounts> {
  const plan = planReindex(documents, new Map(collection.documents().map((document) => [document.id, document.contentHash])));

  const vectors = await embed(plan.changed.map(({ document }) => document.text));
  plan.changed.forEach(({ document, hash }, i) => collection.upsert({ ...document, vector: vectors[i] }, hash));
  plan.stale.forEach((id) => collection.remove(id));

  return plan.counts;
}

function checkUniqueIds(documents: readonly SourceDocument[]): void {
  const seen = new Set<string>();
  for (const document of documents) {
    if (seen.has(document.id)) {
      throw errors.BAD_USER_INPUT.error(`Document id "${document.id}" appears more than once in the re-index input.`);
    }
    seen.add(document.id);
  }
}

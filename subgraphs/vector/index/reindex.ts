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
  checkUniqueIds(documents);
  const hashes = documents.map(contentHash);
  const changed = documents.map((document, i) => ({ document, hash: hashes[i] })).filter(({ document, hash }) => collection.get(document.id)?.contentHash !== hash);
  const added = changed.filter(({ document }) => collection.get(document.id) === undefined).length;

  const vectors = await embed(changed.map(({ document }) => document.text));
  changed.forEach(({ document, hash }, i) => collection.upsert({ ...document, vector: vectors[i] }, hash));

  const listed = new Set(documents.map((document) => document.id));
  const stale = collection.documents().filter((document) => !listed.has(document.id));
  stale.forEach((document) => collection.remove(document.id));

  return { added, updated: changed.length - added, removed: stale.length, unchanged: documents.length - changed.length };
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

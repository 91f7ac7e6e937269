import { planReindex, type EmbedTexts, type ReindexCounts, type SourceDocument } from '../index/index.js';
import type { CollectionLayout, DocumentToWrite, IndexWriter } from './backend.js';
import { hasDirection } from './queryVector.js';

/** Receives the count of documents a step of `syncCollection` finished: found unchanged, or embedded and written. */
export type SyncProgress = (count: number, step: 'unchanged' | 'written') => void;

/**
 * Makes a collection in a search cluster hold exactly `documents`, like the embedded index's re-index.
 * Documents whose content hash differs from the stored one (all with `force`) are embedded and written.
 * Stored documents that are no longer listed are deleted, and the rest are left alone. Embedding and
 * writing go batch by batch, `writer.batchSize` documents at a time.
 *
 * @throws Error from the writer, naming the documents the cluster rejected; BAD_USER_INPUT on a duplicate id.
 */
export async function syncCollection(
  writer: IndexWriter,
  layout: CollectionLayout,
  documents: readonly SourceDocument[],
  embed: EmbedTexts,
  progress: SyncProgress,
  force = false,
): Promise<ReindexCounts> {
  await writer.prepare(layout);
  const plan = planReindex(documents, await writer.storedHashes(layout.name), force);
  progress(plan.counts.unchanged, 'unchanged');

  for (const batch of batches(plan.changed, writer.batchSize)) {
    const vectors = await embed(batch.map(({ document }) => document.text));
    await writer.write(
      layout,
      batch.map(({ document, hash }, i) => toDocumentToWrite(document, hash, vectors[i])),
    );
    progress(batch.length, 'written');
  }

  for (const ids of batches(plan.stale, writer.batchSize)) {
    await writer.remove(layout.name, ids);
  }
  return plan.counts;
}

function toDocumentToWrite(document: SourceDocument, contentHash: string, vector: Float32Array): DocumentToWrite {
  return { ...document, contentHash, vector: hasDirection(vector) ? vector : undefined };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

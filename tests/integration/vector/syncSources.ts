import type { SourceDocument } from '../../../subgraphs/vector/index/index.js';

/**
 * Source documents with the embeddings a test sets, which `embedBySource` returns by text. The
 * zero vector of `p4` has no direction, so the writers store that document without a vector.
 */
export const SOURCES: Array<SourceDocument & { vector: number[] }> = [
  { id: 'p1', text: 'government of the people', metadata: { president: 'Abraham Lincoln', year: 1863 }, vector: [1, 0, 0] },
  { id: 'p2', text: 'a date which will live in infamy', metadata: { president: 'Franklin D. Roosevelt', year: 1941 }, vector: [0, 1, 0] },
  { id: 'p3', text: 'ask not what your country can do', metadata: { president: 'John F. Kennedy', year: 1961 }, vector: [0.6, 0.8, 0] },
  { id: 'p4', text: 'zzqx', metadata: { president: 'Nobody', year: 2000 }, vector: [0, 0, 0] },
];

/** Embeds each text as the vector of its source document, and any other text as [0, 0, 1]. */
export function embedBySource(texts: string[]): Float32Array[] {
  return texts.map((text) => Float32Array.from(SOURCES.find((source) => source.text === text)?.vector ?? [0, 0, 1]));
}

/** Returns `SOURCES` without their vectors, as `syncCollection` takes them. */
export function sourceDocuments(): SourceDocument[] {
  return SOURCES.map(({ vector: _vector, ...document }) => document);
}

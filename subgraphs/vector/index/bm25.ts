import { splitCompound, tokenize } from '../../inference/embeddings/index.js';

/** Okapi BM25 parameters; k1 = 1.2 and b = 0.75 are the usual defaults (Lucene's too). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** Postings of a BM25 index in a JSON-safe form: per term, alternating slot and term frequency. */
export interface Bm25Snapshot {
  readonly documentLengths: ReadonlyArray<readonly [number, number]>;
  readonly postings: ReadonlyArray<readonly [string, readonly number[]]>;
}

/**
 * Returns the keyword terms of a text: the embedding tokenizer's tokens, with hyphenated compounds
 * split into their parts so that "state-of-the-art" matches a query for "art".
 */
export function keywordTerms(text: string): string[] {
  return tokenize(text).flatMap(splitCompound);
}

/**
 * An inverted index scored with Okapi BM25:
 * score(D, Q) = Σ over distinct query terms t of idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|D|/avgdl)),
 * with the Lucene idf, idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), which stays positive for a
 * term in more than half the documents where the original Robertson–Spärck Jones idf turns negative.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly documentLengths = new Map<number, number>();
  private totalLength = 0;

  get documentCount(): number {
    return this.documentLengths.size;
  }

  /** Indexes the terms of a document under its slot. */
  add(slot: number, terms: readonly string[]): void {
    this.documentLengths.set(slot, terms.length);
    this.totalLength += terms.length;
    for (const term of terms) {
      const termPostings = this.postings.get(term) ?? new Map<number, number>();
      termPostings.set(slot, (termPostings.get(slot) ?? 0) + 1);
      this.postings.set(term, termPostings);
    }
  }

  /** Removes a document; `terms` are the terms it was added with. */
  remove(slot: number, terms: readonly string[]): void {
    this.totalLength -= this.documentLengths.get(slot) ?? 0;
    this.documentLengths.delete(slot);
    for (const term of new Set(terms)) {
      const termPostings = this.postings.get(term);
      termPostings?.delete(slot);
      if (termPostings?.size === 0) {
        this.postings.delete(term);
      }
    }
  }

  /** Inverse document frequency of a term, in the Lucene variant. */
  idf(term: string): number {
    const documentFrequency = this.postings.get(term)?.size ?? 0;
    return Math.log(1 + (this.documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** Scores every accepted document that contains at least one query term. */
  score(queryTerms: readonly string[], accept: (slot: number) => boolean): Map<number, number> {
    const scores = new Map<number, number>();
    const averageLength = this.totalLength / Math.max(this.documentCount, 1);

    for (const term of new Set(queryTerms)) {
      const termPostings = this.postings.get(term);
      if (termPostings === undefined) {
        continue;
      }
      const idf = this.idf(term);
      for (const [slot, frequency] of termPostings) {
        if (accept(slot)) {
          const length = this.documentLengths.get(slot) ?? 0;
          const saturation = frequency + BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength);
          scores.set(slot, (scores.get(slot) ?? 0) + (idf * frequency * (BM25_K1 + 1)) / saturation);
        }
      }
    }
    return scores;
  }

  toSnapshot(): Bm25Snapshot {
    const postings = [...this.postings].map(([term, slots]) => [term, [...slots].flat()] as const);
    return { documentLengths: [...this.documentLengths], postings };
  }

  static fromSnapshot(snapshot: Bm25Snapshot): Bm25Index {
    const index = new Bm25Index();
    for (const [slot, length] of snapshot.documentLengths) {
      index.documentLengths.set(slot, length);
      index.totalLength += length;
    }
    for (const [term, flat] of snapshot.postings) {
      const termPostings = new Map<number, number>();
      for (let i = 0; i < flat.length; i += 2) {
        termPostings.set(flat[i], flat[i + 1]);
      }
      index.postings.set(term, termPostings);
    }
    return index;
  }
}

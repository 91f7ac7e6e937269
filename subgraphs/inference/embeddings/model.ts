import type { ModelInfo } from './cacheFormat.js';
import { createSifWeights } from './sifWeights.js';
import { splitCompound, tokenize } from './tokenize.js';

/** Vectors of a batch of texts, in the order of the texts. */
export interface EmbeddingResult {
  /** Unit-length vectors, or all-zero vectors where `zeroVector` is true. */
  readonly vectors: Float32Array[];
  readonly dimension: number;
  readonly model: ModelInfo;
  /** Tokens of each text that have no vector in the vocabulary and were skipped. */
  readonly oovCounts: number[];
  readonly tokenCounts: number[];
  /** True where no token of the text is in the vocabulary, so its vector is all zeros. */
  readonly zeroVector: boolean[];
}

/**
 * A word-vector model with sentence and passage embeddings: the SIF-weighted average of the
 * vectors of a text's in-vocabulary tokens, normalised to unit length.
 */
export class EmbeddingModel {
  private readonly sifWeight: (rank: number) => number;

  /**
   * @param vocabulary word → row of `matrix`, with rows in descending word frequency
   * @param matrix row-major, `vocabulary.size × dimension` values
   */
  constructor(
    readonly info: ModelInfo,
    readonly dimension: number,
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly matrix: Float32Array,
  ) {
    this.sifWeight = createSifWeights(vocabulary.size);
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  /** Returns a view on the stored vector of a word, or undefined when the word is out of vocabulary. */
  wordVector(word: string): Float32Array | undefined {
    const row = this.vocabulary.get(word);
    return row === undefined ? undefined : this.rowView(row);
  }

  /** Embeds each text; an empty or all out-of-vocabulary text gets a zero vector flagged in `zeroVector`. */
  embed(texts: readonly string[]): EmbeddingResult {
    const vectors: Float32Array[] = [];
    const oovCounts: number[] = [];
    const tokenCounts: number[] = [];
    const zeroVector: boolean[] = [];

    for (const text of texts) {
      const embedded = this.embedText(text);
      vectors.push(embedded.vector);
      oovCounts.push(embedded.oovCount);
      tokenCounts.push(embedded.tokenCount);
      zeroVector.push(embedded.inVocabularyCount === 0);
    }
    return { vectors, dimension: this.dimension, model: this.info, oovCounts, tokenCounts, zeroVector };
  }

  private embedText(text: string): { vector: Float32Array; oovCount: number; tokenCount: number; inVocabularyCount: number } {
    const vector = new Float32Array(this.dimension);
    const tokens = tokenize(text);
    let oovCount = 0;

    for (const token of tokens) {
      const rows = this.rowsOf(token);
      if (rows.length === 0) {
        oovCount += 1;
      }
      for (const row of rows) {
        this.addScaledRow(vector, row, this.sifWeight(row));
      }
    }
    normalize(vector);
    return { vector, oovCount, tokenCount: tokens.length, inVocabularyCount: tokens.length - oovCount };
  }

  /** Rows for a token: the token itself, else the in-vocabulary parts of a hyphenated compound. */
  private rowsOf(token: string): number[] {
    const row = this.vocabulary.get(token);
    if (row !== undefined) {
      return [row];
    }
    if (!token.includes('-')) {
      return [];
    }
    return splitCompound(token)
      .map((part) => this.vocabulary.get(part))
      .filter((partRow): partRow is number => partRow !== undefined);
  }

  private rowView(row: number): Float32Array {
    return this.matrix.subarray(row * this.dimension, (row + 1) * this.dimension);
  }

  private addScaledRow(target: Float32Array, row: number, weight: number): void {
    const offset = row * this.dimension;
    for (let i = 0; i < this.dimension; i += 1) {
      target[i] += weight * this.matrix[offset + i];
    }
  }
}

/** Scales a vector to unit length in place; a zero vector stays zero. */
export function normalize(vector: Float32Array): void {
  let sumOfSquares = 0;
  for (const value of vector) {
    sumOfSquares += value * value;
  }
  if (sumOfSquares === 0) {
    return;
  }
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i += 1) {
    vector[i] *= scale;
  }
}

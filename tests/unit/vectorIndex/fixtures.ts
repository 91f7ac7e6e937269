export { cosine } from '../../support/cosine.js';

/** Seeded PRNG (mulberry32), so random vectors are the same on every run. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a random unit vector with Gaussian components (Box–Muller), so directions are uniform. */
export function randomUnitVector(random: () => number, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  let norm = 0;
  for (let i = 0; i < dimension; i += 1) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    vector[i] = gaussian;
    norm += gaussian * gaussian;
  }
  return vector.map((value) => value / Math.sqrt(norm));
}

/** Small corpus of lowercase, punctuation-free texts, so `text.split(' ')` is its tokenization. */
export const CORPUS = [
  { id: 'd1', text: 'storm delayed the flight at the airport', metadata: { year: 2001, airline: 'aa', open: true } },
  { id: 'd2', text: 'the senate passed the tax bill', metadata: { year: 2003, airline: null, open: false } },
  { id: 'd3', text: 'storm storm storm warning for the coast', metadata: { year: 2005, airline: 'ua', open: true } },
  { id: 'd4', text: 'flight attendants went on strike at the airport today', metadata: { year: 2001, airline: 'ua', open: true } },
  { id: 'd5', text: 'the tax bill cuts the airport fee', metadata: { year: 2010, airline: 'dl', open: false } },
  { id: 'd6', text: 'a quiet day', metadata: { year: 2012, airline: 'aa', open: true } },
];

/** Hand-placed 3-dimensional vectors for the corpus. */
export const CORPUS_VECTORS: Record<string, number[]> = {
  d1: [1, 0.2, 0],
  d2: [0, 1, 0.1],
  d3: [0.9, 0, 0.4],
  d4: [0.7, 0.1, 0.1],
  d5: [0.2, 0.9, 0],
  d6: [0, 0, 1],
};

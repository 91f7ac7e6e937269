import { createSnippet, reciprocalRankFusion } from '../../../subgraphs/vector/index/index.js';

describe('reciprocalRankFusion', () => {
  it('sums reciprocal ranks with k 60', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    // a: 1/61 + 1/62 = 0.032522, c: 1/63 + 1/61 = 0.032266, b: 1/62 = 0.016129.
    expect(fused.map((result) => result.key)).toEqual(['a', 'c', 'b']);
    expect(fused[0].score).toBeCloseTo(0.032522, 6);
    expect(fused[1].score).toBeCloseTo(0.032266, 6);
    expect(fused[2].score).toBeCloseTo(0.016129, 6);
  });

  it('keeps first-seen order on ties', () => {
    expect(reciprocalRankFusion([['x'], ['y']]).map((result) => result.key)).toEqual(['x', 'y']);
  });
});

describe('createSnippet', () => {
  it('picks the sentence with most query terms', () => {
    const text = 'The weather was fine. A storm hit the airport at night. Flights resumed.';
    expect(createSnippet(text, new Set(['storm', 'airport']))).toBe('A storm hit the airport at night.');
  });

  it('falls back to the first sentence', () => {
    expect(createSnippet('First one. Second one.', new Set(['absent']))).toBe('First one.');
  });

  it('cuts a long sentence around the first match', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
    words[60] = 'storm';
    const snippet = createSnippet(words.join(' '), new Set(['storm']));
    expect(snippet.length).toBeLessThanOrEqual(200);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('storm');
  });
});

import { splitCompound, tokenize } from '../../../subgraphs/inference/embeddings/index.js';

describe('tokenize', () => {
  it('lowercases and splits on punctuation and whitespace', () => {
    expect(tokenize('The Flight,\twas DELAYED!\n(again)')).toEqual(['the', 'flight', 'was', 'delayed', 'again']);
  });

  it('expands contractions with either apostrophe', () => {
    expect(tokenize("Don't")).toEqual(['do', 'not']);
    expect(tokenize('They’re')).toEqual(['they', 'are']);
    expect(tokenize("won't")).toEqual(['will', 'not']);
    expect(tokenize("I'm")).toEqual(['i', 'am']);
  });

  it('removes possessive s and inner apostrophes', () => {
    expect(tokenize("John's O'Brien's")).toEqual(['john', 'obrien']);
  });

  it('keeps hyphenated compounds whole', () => {
    expect(tokenize('a state-of-the-art e‐mail')).toEqual(['a', 'state-of-the-art', 'e-mail']);
  });

  it('drops leading and trailing hyphens and apostrophes', () => {
    expect(tokenize("-storm- 'quoted'")).toEqual(['storm', 'quoted']);
  });

  it('folds Latin diacritics', () => {
    expect(tokenize('Café naïve Zürich')).toEqual(['cafe', 'naive', 'zurich']);
  });

  it('keeps decimal numbers whole', () => {
    expect(tokenize('3.5 percent of 1,000 flights.')).toEqual(['3.5', 'percent', 'of', '1,000', 'flights']);
  });

  it('returns no tokens for punctuation only', () => {
    expect(tokenize(' ... -- !? ')).toEqual([]);
  });
});

describe('splitCompound', () => {
  it('splits a compound at hyphens', () => {
    expect(splitCompound('state-of-the-art')).toEqual(['state', 'of', 'the', 'art']);
  });

  it('returns a plain word alone', () => {
    expect(splitCompound('storm')).toEqual(['storm']);
  });
});

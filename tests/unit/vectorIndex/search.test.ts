import { VectorCollection, type MetadataFilter } from '../../../subgraphs/vector/index/index.js';
import { CORPUS, CORPUS_VECTORS, cosine } from './fixtures.js';

function buildCollection(): VectorCollection {
  const collection = new VectorCollection({ dimension: 3 });
  for (const document of CORPUS) {
    collection.upsert({ ...document, vector: Float32Array.from(CORPUS_VECTORS[document.id]) });
  }
  return collection;
}

/** Okapi BM25 with the Lucene idf, written out plainly over the whitespace tokens of the corpus. */
function bruteForceBm25(query: string[], documents: typeof CORPUS): Array<{ id: string; score: number }> {
  const tokenized = documents.map((document) => document.text.split(' '));
  const averageLength = tokenized.reduce((sum, tokens) => sum + tokens.length, 0) / tokenized.length;
  const results = documents.map((document, d) => {
    let score = 0;
    for (const term of new Set(query)) {
      const df = tokenized.filter((tokens) => tokens.includes(term)).length;
      const tf = tokenized[d].filter((token) => token === term).length;
      const idf = Math.log(1 + (tokenized.length - df + 0.5) / (df + 0.5));
      score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * tokenized[d].length) / averageLength));
    }
    return { id: document.id, score };
  });
  return results.filter((result) => result.score > 0).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

function bruteForceCosine(query: number[], ids: string[]): Array<{ id: string; score: number }> {
  return ids
    .map((id) => ({ id, score: cosine(Float32Array.from(query), Float32Array.from(CORPUS_VECTORS[id])) }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

describe('VectorCollection keyword search', () => {
  const collection = buildCollection();

  it.each([['storm airport'], ['tax bill'], ['the flight'], ['strike']])('matches brute-force BM25 for "%s"', (query) => {
    const expected = bruteForceBm25(query.split(' '), CORPUS);
    const hits = collection.search({ mode: 'keyword', text: query, first: 6 });
    expect(hits.map((hit) => hit.id)).toEqual(expected.map((result) => result.id));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 10));
  });

  it('returns no hits for an unknown term', () => {
    expect(collection.search({ mode: 'keyword', text: 'volcano' })).toEqual([]);
  });

  it('returns the matching sentence as snippet', () => {
    const hits = collection.search({ mode: 'keyword', text: 'strike' });
    expect(hits[0].snippet).toBe('flight attendants went on strike at the airport today');
  });
});

describe('VectorCollection vector search', () => {
  const collection = buildCollection();

  it('matches brute-force cosine ranking', () => {
    const query = [0.8, 0.3, 0.2];
    const expected = bruteForceCosine(query, Object.keys(CORPUS_VECTORS));
    const hits = collection.search({ mode: 'vector', vector: Float32Array.from(query), first: 6 });
    expect(hits.map((hit) => hit.id)).toEqual(expected.map((result) => result.id));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 6));
  });

  it('returns only the first hits', () => {
    const hits = collection.search({ mode: 'vector', vector: Float32Array.from([0, 0, 1]), first: 2 });
    expect(hits.map((hit) => hit.id)).toEqual(bruteForceCosine([0, 0, 1], Object.keys(CORPUS_VECTORS)).slice(0, 2).map((r) => r.id));
  });
});

describe('VectorCollection filters', () => {
  const collection = buildCollection();
  const everything = { mode: 'vector' as const, vector: Float32Array.from([1, 1, 1]), first: 10 };

  function idsWith(filters: MetadataFilter[]): string[] {
    return collection.search({ ...everything, filters }).map((hit) => hit.id).sort();
  }

  it('keeps equal values with eq', () => {
    expect(idsWith([{ field: 'airline', eq: 'ua' }])).toEqual(['d3', 'd4']);
  });

  it('matches null with eq null', () => {
    expect(idsWith([{ field: 'airline', eq: null }])).toEqual(['d2']);
  });

  it('keeps listed values with in', () => {
    expect(idsWith([{ field: 'airline', in: ['aa', 'dl'] }])).toEqual(['d1', 'd5', 'd6']);
  });

  it('keeps numbers inside a range', () => {
    expect(idsWith([{ field: 'year', range: { gte: 2003, lt: 2010 } }])).toEqual(['d2', 'd3']);
  });

  it('excludes non-numbers from a range', () => {
    expect(idsWith([{ field: 'airline', range: { gte: 0 } }])).toEqual([]);
  });

  it('combines filters with and', () => {
    expect(idsWith([{ field: 'open', eq: true }, { field: 'year', range: { lte: 2001 } }])).toEqual(['d1', 'd4']);
  });

  it('filters keyword hits before ranking', () => {
    const hits = collection.search({ mode: 'keyword', text: 'airport', filters: [{ field: 'open', eq: false }] });
    expect(hits.map((hit) => hit.id)).toEqual(['d5']);
  });

  it('rejects a filter with two operators', () => {
    expect(() => collection.search({ ...everything, filters: [{ field: 'year', eq: 1, in: [1] }] })).toThrow(
      'Filter on "year" must have exactly one of eq, in or range, but has 2.',
    );
  });

  it('rejects a non-finite range bound', () => {
    expect(() => collection.search({ ...everything, filters: [{ field: 'year', range: { lt: Number.NaN } }] })).toThrow(
      'Range filter on "year" has lt NaN, but bounds must be finite numbers.',
    );
  });
});

describe('VectorCollection hybrid search', () => {
  it('fuses keyword and vector ranks by hand', () => {
    const collection = new VectorCollection({ dimension: 2 });
    collection.upsert({ id: 'a', text: 'storm storm', vector: Float32Array.from([0, 1]), metadata: {} });
    collection.upsert({ id: 'b', text: 'storm at sea today', vector: Float32Array.from([1, 0.5]), metadata: {} });
    collection.upsert({ id: 'c', text: 'calm', vector: Float32Array.from([1, 0]), metadata: {} });
    // Keyword ranks: a 1, b 2 (c has no term). Vector ranks for (1, 0): c 1, b 2, a 3.
    const hits = collection.search({ mode: 'hybrid', text: 'storm', vector: Float32Array.from([1, 0]) });
    // a: 1/61 + 1/63 = 0.0322664, b: 1/62 + 1/62 = 0.0322581, c: 1/61 = 0.0163934.
    expect(hits.map((hit) => hit.id)).toEqual(['a', 'b', 'c']);
    expect(hits[0].score).toBeCloseTo(1 / 61 + 1 / 63, 12);
    expect(hits[1].score).toBeCloseTo(1 / 62 + 1 / 62, 12);
    expect(hits[2].score).toBeCloseTo(1 / 61, 12);
  });
});

describe('VectorCollection request checks', () => {
  const collection = buildCollection();

  it('rejects a query vector of another dimension', () => {
    expect(() => collection.search({ mode: 'vector', vector: Float32Array.from([1, 0]) })).toThrow(
      'Vector has 2 dimensions, but the collection has 3.',
    );
  });

  it('rejects hybrid search without a vector', () => {
    expect(() => collection.search({ mode: 'hybrid', text: 'storm' })).toThrow('Search mode hybrid needs a query vector.');
  });

  it('rejects keyword search without text', () => {
    expect(() => collection.search({ mode: 'keyword' })).toThrow('Search mode keyword needs a query text.');
  });

  it('rejects first above the maximum', () => {
    expect(() => collection.search({ mode: 'keyword', text: 'storm', first: 1001 })).toThrow('first is 1001, above the maximum of 1000.');
  });

  it('rejects a negative first', () => {
    expect(() => collection.search({ mode: 'keyword', text: 'storm', first: -1 })).toThrow('first must be a non-negative integer, but is -1.');
  });

  it('removes a document from every ranking', () => {
    const local = buildCollection();
    expect(local.remove('d3')).toBe(true);
    const keyword = local.search({ mode: 'keyword', text: 'storm', first: 10 }).map((hit) => hit.id);
    expect(keyword).toEqual(bruteForceBm25(['storm'], CORPUS.filter((document) => document.id !== 'd3')).map((r) => r.id));
  });
});

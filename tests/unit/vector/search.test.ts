import type { CollectionResult, CollectionSearch, SearchBackend } from '../../../subgraphs/vector/backends/backend.js';
import { EmbeddedBackend } from '../../../subgraphs/vector/backends/embedded.js';
import type { CollectionDeclaration } from '../../../subgraphs/vector/collections.js';
import { toMetadataFilters } from '../../../subgraphs/vector/filters.js';
import { VectorCollection } from '../../../subgraphs/vector/index/index.js';
import { SearchService } from '../../../subgraphs/vector/search.js';
import { cosine, createRandom, randomUnitVector } from '../vectorIndex/fixtures.js';

const DIMENSION = 16;
const random = createRandom(7);
const PARTIES = ['Whig', 'Democratic', 'Republican'];
const PASSAGES = Array.from({ length: 60 }, (_, i) => ({
  id: `p${i}`,
  text: `passage ${i} about the union`,
  vector: randomUnitVector(random, DIMENSION),
  metadata: { year: 1800 + i, party: PARTIES[i % 3], president: `President ${i % 7}` },
}));
const QUERY = randomUnitVector(random, DIMENSION);
const DECLARATION: CollectionDeclaration = { name: 'speeches', text: ['text'], metadata: ['year', 'party', 'president'], entity: 'SpeechPassage', key: 'id' };

function createService(): SearchService {
  const collection = new VectorCollection({ dimension: DIMENSION });
  PASSAGES.forEach((passage) => collection.upsert(passage));
  return new SearchService([DECLARATION], new EmbeddedBackend(new Map([['speeches', collection]])), () => QUERY, 100);
}

function bruteForce(accept: (passage: (typeof PASSAGES)[number]) => boolean, first: number): string[] {
  return PASSAGES.filter(accept)
    .map((passage) => ({ id: passage.id, score: cosine(QUERY, passage.vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, first)
    .map((hit) => hit.id);
}

describe('SearchService', () => {
  it('returns the brute-force top hits in vector mode', async () => {
    const { hits } = await createService().search({ query: 'union', mode: 'vector', filters: [], first: 5 });
    expect(hits.map((hit) => hit.entity.id)).toEqual(bruteForce(() => true, 5));
  });

  it('applies party and year filters before ranking', async () => {
    const filters = toMetadataFilters({ party: { eq: 'Whig' }, year: { gte: 1820, lt: 1850 } });
    const { hits } = await createService().search({ query: 'union', mode: 'vector', filters, first: 5 });
    const expected = bruteForce((passage) => passage.metadata.party === 'Whig' && passage.metadata.year >= 1820 && passage.metadata.year < 1850, 5);
    expect(hits.map((hit) => hit.entity.id)).toEqual(expected);
  });

  it('skips collections without the filtered field', async () => {
    const { hits } = await createService().search({ query: 'union', mode: 'vector', filters: toMetadataFilters({ state: { eq: 'IL' } }), first: 5 });
    expect(hits).toEqual([]);
  });

  it('rejects an undeclared collection', async () => {
    expect.assertions(1);
    await expect(createService().search({ query: 'union', collections: ['planets'], mode: 'hybrid', filters: [], first: 5 })).rejects.toThrow(
      'Collection "planets" does not exist; the collections are speeches.',
    );
  });

  it('returns SpeechPassage entities with their metadata', async () => {
    const {
      hits: [hit],
    } = await createService().search({ query: 'union', mode: 'vector', filters: [], first: 1 });
    expect(hit.entity.__typename).toBe('SpeechPassage');
    expect(hit.collection).toBe('speeches');
  });
});

/** A backend whose results per collection the test sets, recording the searches it gets. */
class ScriptedBackend implements SearchBackend {
  readonly kind = 'weaviate';
  readonly searches: CollectionSearch[] = [];

  constructor(private readonly results: Readonly<Record<string, CollectionResult>>) {}

  async search(request: CollectionSearch): Promise<CollectionResult> {
    this.searches.push(request);
    return this.results[request.collection];
  }

  async lookup() {
    return { found: new Map() };
  }

  async close(): Promise<void> {}
}

describe('SearchService with partial failures', () => {
  const AIRPORTS: CollectionDeclaration = { name: 'airports', text: ['name'], metadata: ['state'], entity: 'Airport', key: 'iata' };
  const hit = (id: string, score: number) => ({ id, score, snippet: id, text: id, metadata: {} });
  const backend = new ScriptedBackend({
    speeches: { hits: [hit('s1', 0.9), hit('s2', 0.4)] },
    airports: { hits: [hit('ORD', 0.7)], partialFailure: 'Elasticsearch search of index "airports" returned partial results: the search timed out.' },
  });
  const service = new SearchService([DECLARATION, AIRPORTS], backend, () => QUERY, 100);

  it('keeps the hits of every collection', async () => {
    const { hits } = await service.search({ query: 'union', mode: 'hybrid', filters: [], first: 3 });
    expect(hits.map((found) => [found.collection, found.entity.__typename, found.score])).toEqual([
      ['speeches', 'SpeechPassage', 0.9],
      ['airports', 'Airport', 0.7],
      ['speeches', 'SpeechPassage', 0.4],
    ]);
  });

  it('names the collection of each partial failure', async () => {
    const { partialFailures } = await service.search({ query: 'union', mode: 'hybrid', filters: [], first: 3 });
    expect(partialFailures).toEqual([{ collection: 'airports', message: 'Elasticsearch search of index "airports" returned partial results: the search timed out.' }]);
  });

  it('reports no failure for complete results', async () => {
    const { partialFailures } = await service.search({ query: 'union', collections: ['speeches'], mode: 'hybrid', filters: [], first: 3 });
    expect(partialFailures).toEqual([]);
  });
});

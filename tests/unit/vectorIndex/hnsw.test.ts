import { VectorCollection, measureRecall } from '../../../subgraphs/vector/index/index.js';
import { createRandom, randomUnitVector } from './fixtures.js';

describe('measureRecall', () => {
  it('reaches recall@10 of 0.95 on 5,000 random unit vectors', () => {
    const random = createRandom(20240611);
    const collection = new VectorCollection({ dimension: 100 });
    for (let i = 0; i < 5_000; i += 1) {
      collection.upsert({ id: `doc${i}`, text: '', vector: randomUnitVector(random, 100), metadata: {} });
    }
    const queries = Array.from({ length: 50 }, () => randomUnitVector(random, 100));

    const measurement = measureRecall(collection, queries, 10);
    expect(measurement.queryCount).toBe(50);
    expect(measurement.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('returns recall 1 when k covers all', () => {
    const random = createRandom(7);
    const collection = new VectorCollection({ dimension: 4 });
    for (let i = 0; i < 20; i += 1) {
      collection.upsert({ id: `doc${i}`, text: '', vector: randomUnitVector(random, 4), metadata: {} });
    }
    // With k = all documents the graph returns every point, so recall is exactly 1.
    expect(measureRecall(collection, [randomUnitVector(random, 4)], 20).recall).toBe(1);
  });
});

describe('VectorCollection above the HNSW threshold', () => {
  it('returns the exact top hits on a small graph', () => {
    const random = createRandom(99);
    const exact = new VectorCollection({ dimension: 8 });
    const approximate = new VectorCollection({ dimension: 8, hnswThreshold: 10 });
    for (let i = 0; i < 200; i += 1) {
      const document = { id: `doc${i}`, text: `document ${i}`, vector: randomUnitVector(random, 8), metadata: { even: i % 2 === 0 } };
      exact.upsert(document);
      approximate.upsert(document);
    }
    const query = randomUnitVector(random, 8);
    const request = { mode: 'vector' as const, vector: query, first: 5, filters: [{ field: 'even', eq: true }] };
    expect(approximate.search(request).map((hit) => hit.id)).toEqual(exact.search(request).map((hit) => hit.id));
  });
});

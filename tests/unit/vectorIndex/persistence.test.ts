import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  VectorCollection,
  openCollection,
  reindexCollection,
  saveCollection,
  type SourceDocument,
} from '../../../subgraphs/vector/index/index.js';
import { CORPUS, CORPUS_VECTORS } from './fixtures.js';

function buildCollection(options: { hnswThreshold?: number } = {}): VectorCollection {
  const collection = new VectorCollection({ dimension: 3, ...options });
  for (const document of CORPUS) {
    collection.upsert({ ...document, vector: Float32Array.from(CORPUS_VECTORS[document.id]) }, `hash-${document.id}`);
  }
  return collection;
}

const REQUESTS = [
  { mode: 'keyword' as const, text: 'storm airport' },
  { mode: 'vector' as const, vector: Float32Array.from([0.5, 0.5, 0]) },
  { mode: 'hybrid' as const, text: 'tax', vector: Float32Array.from([1, 0, 0]), filters: [{ field: 'year', range: { gt: 2001 } }] },
];

describe('saveCollection and openCollection', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'meshgate-vector-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('round-trips documents and search results', () => {
    const collection = buildCollection();
    collection.remove('d6');
    saveCollection(collection, directory);
    const reopened = openCollection(directory);

    expect(reopened.size).toBe(5);
    expect(reopened.get('d2')?.contentHash).toBe('hash-d2');
    expect(reopened.get('d6')).toBeUndefined();
    for (const request of REQUESTS) {
      expect(reopened.search(request)).toEqual(collection.search(request));
    }
  });

  it('round-trips the HNSW graph', () => {
    const collection = buildCollection({ hnswThreshold: 2 });
    const before = collection.search(REQUESTS[1]);
    saveCollection(collection, directory);
    expect(readdirSync(join(directory, 'v000001'))).toContain('hnsw.bin');
    expect(openCollection(directory).search(REQUESTS[1])).toEqual(before);
  });

  it('saves the graph before any search', () => {
    saveCollection(buildCollection({ hnswThreshold: 2 }), directory);
    expect(readdirSync(join(directory, 'v000001'))).toContain('hnsw.bin');
  });

  it('saves no graph below the threshold', () => {
    saveCollection(buildCollection(), directory);
    expect(readdirSync(join(directory, 'v000001'))).not.toContain('hnsw.bin');
  });

  it('switches CURRENT to the new version', () => {
    saveCollection(buildCollection(), directory);
    const second = saveCollection(buildCollection(), directory);
    expect(second).toBe('v000002');
    expect(readFileSync(join(directory, 'CURRENT'), 'utf8')).toBe('v000002\n');
  });

  it('keeps the previous version after an interrupted save', () => {
    saveCollection(buildCollection(), directory);
    const changed = buildCollection();
    changed.remove('d1');

    expect(() =>
      saveCollection(changed, directory, (step) => {
        if (step === 'postings') {
          throw new Error('interrupted');
        }
      }),
    ).toThrow('interrupted');
    const reopened = openCollection(directory);
    expect(reopened.size).toBe(6);
    expect(reopened.get('d1')).toBeDefined();
  });

  it('saves past an interrupted version folder', () => {
    saveCollection(buildCollection(), directory);
    expect(() =>
      saveCollection(buildCollection(), directory, () => {
        throw new Error('interrupted');
      }),
    ).toThrow('interrupted');
    expect(saveCollection(buildCollection(), directory)).toBe('v000003');
    expect(readdirSync(directory).sort()).toEqual(['CURRENT', 'v000001', 'v000003']);
  });

  it('rejects a folder without CURRENT', () => {
    expect(() => openCollection(directory)).toThrow(`Vector index folder ${directory} has no CURRENT file; save a collection into it first.`);
  });

  it('rejects a truncated vectors file', () => {
    saveCollection(buildCollection(), directory);
    const vectorsFile = join(directory, 'v000001', 'vectors.f32');
    const bytes = readFileSync(vectorsFile);
    writeFileSync(vectorsFile, bytes.subarray(0, 12));
    expect(() => openCollection(directory)).toThrow(
      `Vector index file ${vectorsFile} has 12 bytes for 6 documents, but the manifest describes 6 documents of dimension 3.`,
    );
  });
});

describe('reindexCollection', () => {
  const embedCalls: string[][] = [];
  const embed = (texts: string[]): Float32Array[] => {
    embedCalls.push(texts);
    return texts.map((text) => Float32Array.from([text.length, 1, 0]));
  };
  const source: SourceDocument[] = CORPUS.map(({ id, text, metadata }) => ({ id, text, metadata }));

  beforeEach(() => {
    embedCalls.length = 0;
  });

  it('adds every document on the first run', async () => {
    const collection = new VectorCollection({ dimension: 3 });
    await expect(reindexCollection(collection, source, embed)).resolves.toEqual({ added: 6, updated: 0, removed: 0, unchanged: 0 });
    expect(embedCalls).toEqual([CORPUS.map((document) => document.text)]);
  });

  it('embeds only new and changed documents', async () => {
    const collection = new VectorCollection({ dimension: 3 });
    await reindexCollection(collection, source, embed);
    embedCalls.length = 0;

    const next = [
      ...source.filter((document) => document.id !== 'd2' && document.id !== 'd3'),
      { ...source[2], text: 'storm passed' },
      { id: 'd7', text: 'new runway opened', metadata: {} },
    ];
    await expect(reindexCollection(collection, next, embed)).resolves.toEqual({ added: 1, updated: 1, removed: 1, unchanged: 4 });
    expect(embedCalls).toEqual([['storm passed', 'new runway opened']]);
    expect(collection.get('d2')).toBeUndefined();
    expect(collection.search({ mode: 'keyword', text: 'runway' }).map((hit) => hit.id)).toEqual(['d7']);
  });

  it('treats a metadata change as an update', async () => {
    const collection = new VectorCollection({ dimension: 3 });
    await reindexCollection(collection, source, embed);
    const next = source.map((document) => (document.id === 'd1' ? { ...document, metadata: { ...document.metadata, year: 1999 } } : document));
    await expect(reindexCollection(collection, next, embed)).resolves.toEqual({ added: 0, updated: 1, removed: 0, unchanged: 5 });
  });

  it('rejects a duplicate id', async () => {
    expect.assertions(1);
    await expect(reindexCollection(new VectorCollection({ dimension: 3 }), [source[0], source[0]], embed)).rejects.toThrow(
      'Document id "d1" appears more than once in the re-index input.',
    );
  });
});

import { vectorSection, type WeaviateConfig } from '../../../core/config/sections/vector.js';
import type { CollectionLayout, DocumentToWrite } from '../../../subgraphs/vector/backends/backend.js';
import { syncCollection } from '../../../subgraphs/vector/backends/sync.js';
import { WeaviateBackend, WeaviateIndexWriter } from '../../../subgraphs/vector/backends/weaviate/index.js';
import { contentHash } from '../../../subgraphs/vector/index/index.js';
import { FakeWeaviate, type StoredObject } from './fakes/weaviate.js';
import { uuidV5 } from './fakes/uuidV5.js';
import { embedBySource, sourceDocuments } from './syncSources.js';

function weaviateConfig(options: Record<string, unknown>): WeaviateConfig {
  return vectorSection.parse({ backend: { kind: 'weaviate', ...options } }).backend as WeaviateConfig;
}

const LAYOUT: CollectionLayout = {
  name: 'speeches',
  dimension: 3,
  metadata: [
    { name: 'president', type: 'text' },
    { name: 'year', type: 'number' },
  ],
};

/** The properties every class gets, as Weaviate's schema API spells them. */
const DOCUMENT_PROPERTIES = [
  { name: 'docId', dataType: ['text'], tokenization: 'field', indexFilterable: true, indexSearchable: false },
  { name: 'text', dataType: ['text'], tokenization: 'word', indexFilterable: false, indexSearchable: true },
  { name: 'metadata', dataType: ['text'], indexFilterable: false, indexSearchable: false },
  { name: 'contentHash', dataType: ['text'], indexFilterable: false, indexSearchable: false },
];

const PRESIDENT_PROPERTY = { name: 'president', dataType: ['text'], tokenization: 'field', indexFilterable: true, indexSearchable: false };
const YEAR_PROPERTY = { name: 'year', dataType: ['number'], indexFilterable: true };

function documentToWrite(id: string, metadata: Record<string, string | number | null>, vector?: number[]): DocumentToWrite {
  return { id, text: `text of ${id}`, metadata, contentHash: `hash-${id}`, vector: vector === undefined ? undefined : Float32Array.from(vector) };
}

/** Stores an object in the fake directly, as an earlier import would have. */
function storeObject(fake: FakeWeaviate, docId: string, hash: string, tenant?: string): void {
  const id = uuidV5(docId);
  fake.objects.set(`Speeches/${tenant ?? ''}/${id}`, { class: 'Speeches', id, properties: { docId, contentHash: hash }, tenant });
}

describe('WeaviateIndexWriter against a Weaviate server', () => {
  const fake = new FakeWeaviate();
  let url: string;
  let writer: WeaviateIndexWriter;

  beforeAll(async () => {
    url = await fake.start();
    writer = new WeaviateIndexWriter(weaviateConfig({ url, batchSize: 50 }));
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('creates a missing class with vectorizer none and typed metadata properties', async () => {
    await writer.prepare(LAYOUT);
    const created = fake.requests.filter((request) => request.method === 'POST' && request.path === '/v1/schema');
    expect(created.map((request) => request.body)).toEqual([
      {
        class: 'Speeches',
        description: 'meshgate collection "speeches"',
        vectorizer: 'none',
        vectorIndexConfig: { distance: 'cosine' },
        invertedIndexConfig: { indexNullState: true },
        multiTenancyConfig: { enabled: false },
        properties: [...DOCUMENT_PROPERTIES, PRESIDENT_PROPERTY, YEAR_PROPERTY],
      },
    ]);
  });

  it('adds only missing properties to an existing class', async () => {
    fake.classes.set('Speeches', { class: 'Speeches', multiTenancyConfig: { enabled: false }, properties: [...DOCUMENT_PROPERTIES, PRESIDENT_PROPERTY] });
    await writer.prepare(LAYOUT);
    expect(fake.requests.filter((request) => request.method === 'POST').map((request) => [request.path, request.body])).toEqual([['/v1/schema/Speeches/properties', YEAR_PROPERTY]]);
  });

  it('rejects an existing multi-tenant class without a tenant', async () => {
    expect.assertions(1);
    fake.classes.set('Speeches', { class: 'Speeches', multiTenancyConfig: { enabled: true }, properties: DOCUMENT_PROPERTIES });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow(
      'Weaviate class Speeches exists, but the collection needs it without multi-tenancy, because vector.backend.tenant is not set; delete the class or change vector.backend.tenant.',
    );
  });

  it('rejects an existing class with another distance', async () => {
    expect.assertions(1);
    fake.classes.set('Speeches', { class: 'Speeches', vectorIndexConfig: { distance: 'l2-squared' }, properties: DOCUMENT_PROPERTIES });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow('Weaviate class Speeches uses distance "l2-squared", but search scores assume "cosine"; delete the class to re-create it.');
  });

  it('rejects a metadata field with a reserved name', async () => {
    expect.assertions(1);
    await expect(writer.prepare({ ...LAYOUT, metadata: [{ name: 'text', type: 'text' }] })).rejects.toThrow(
      'Collection "speeches" declares metadata field "text", a name the Weaviate class reserves; rename the field.',
    );
  });

  it('imports objects with UUIDs from doc ids and explicit vectors', async () => {
    await writer.prepare(LAYOUT);
    await writer.write(LAYOUT, [documentToWrite('1862-abraham-lincoln-3', { president: 'Abraham Lincoln', year: 1862, party: 'Republican' }, [0.5, -0.25, 0.125])]);
    const batch = fake.requests.find((request) => request.path === '/v1/batch/objects');
    expect(batch?.body).toEqual({
      objects: [
        {
          class: 'Speeches',
          id: uuidV5('1862-abraham-lincoln-3'),
          properties: {
            docId: '1862-abraham-lincoln-3',
            text: 'text of 1862-abraham-lincoln-3',
            metadata: '{"president":"Abraham Lincoln","year":1862,"party":"Republican"}',
            contentHash: 'hash-1862-abraham-lincoln-3',
            president: 'Abraham Lincoln',
            year: 1862,
          },
          vector: [0.5, -0.25, 0.125],
        },
      ],
    });
  });

  it('leaves out null metadata and a missing vector', async () => {
    await writer.prepare(LAYOUT);
    await writer.write(LAYOUT, [documentToWrite('a', { president: 'Abraham Lincoln', year: null })]);
    const [object] = (fake.requests.find((request) => request.path === '/v1/batch/objects')?.body as { objects: StoredObject[] }).objects;
    expect(object.properties).toEqual({ docId: 'a', text: 'text of a', metadata: '{"president":"Abraham Lincoln","year":null}', contentHash: 'hash-a', president: 'Abraham Lincoln' });
    expect(object.vector).toBeUndefined();
  });

  it('reports the objects a batch import rejected', async () => {
    expect.assertions(2);
    await writer.prepare(LAYOUT);
    fake.rejectObject = (object) => (object.properties.docId === 'b' ? "invalid number property 'year' on class 'Speeches': requires a float" : undefined);
    const failure = writer.write(LAYOUT, [documentToWrite('a', {}), documentToWrite('b', {}), documentToWrite('c', {})]);
    await expect(failure).rejects.toThrow(
      'Weaviate rejected 1 of 3 objects of collection "speeches": b: invalid number property \'year\' on class \'Speeches\': requires a float.',
    );
    expect(fake.objectsOf('Speeches').map((object) => object.properties.docId).sort()).toEqual(['a', 'c']);
  });

  it('names at most five rejected objects', async () => {
    expect.assertions(1);
    await writer.prepare(LAYOUT);
    fake.rejectObject = () => 'vector lengths don\'t match';
    const documents = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => documentToWrite(id, {}));
    await expect(writer.write(LAYOUT, documents)).rejects.toThrow(
      'Weaviate rejected 7 of 7 objects of collection "speeches": a: vector lengths don\'t match; b: vector lengths don\'t match; c: vector lengths don\'t match; ' +
        'd: vector lengths don\'t match; e: vector lengths don\'t match; and 2 more.',
    );
  });

  it('rejects objects of a class that does not exist', async () => {
    expect.assertions(1);
    await expect(writer.write(LAYOUT, [documentToWrite('a', {})])).rejects.toThrow(
      'Weaviate rejected 1 of 1 objects of collection "speeches": a: class "Speeches" not found in schema.',
    );
  });

  it('reports a batch import that failed with HTTP 500', async () => {
    expect.assertions(1);
    fake.routeReplies.set('POST /v1/batch/objects', { status: 500, body: { error: [{ message: 'not enough memory to import the batch.' }] } });
    await expect(writer.write(LAYOUT, [documentToWrite('a', {})])).rejects.toThrow(
      'Weaviate batch import into class Speeches failed: HTTP 500: not enough memory to import the batch.',
    );
  });

  it('fails a batch import that exceeds timeoutMs', async () => {
    expect.assertions(1);
    fake.hangingRoutes.add('POST /v1/batch/objects');
    const impatient = new WeaviateIndexWriter(weaviateConfig({ url, timeoutMs: 150 }));
    await expect(impatient.write(LAYOUT, [documentToWrite('a', {})])).rejects.toThrow('Weaviate batch import into class Speeches failed: timed out after 150 ms.');
  });

  it('fails a schema read that exceeds timeoutMs', async () => {
    expect.assertions(1);
    fake.hangingRoutes.add('GET /v1/schema');
    const impatient = new WeaviateIndexWriter(weaviateConfig({ url, timeoutMs: 150 }));
    await expect(impatient.prepare(LAYOUT)).rejects.toThrow('Weaviate schema read failed: timed out after 150 ms.');
  });

  it('reports a rejected class creation with Weaviate\'s message', async () => {
    expect.assertions(1);
    fake.routeReplies.set('POST /v1/schema', { status: 422, body: { error: [{ message: 'vectorizer: no module with name "none" present' }] } });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow('Weaviate creation of class Speeches failed: HTTP 422: vectorizer: no module with name "none" present.');
  });

  it('lists stored content hashes across cursor pages', async () => {
    const ids = Array.from({ length: 1_203 }, (_, i) => `doc-${i}`);
    ids.forEach((id) => storeObject(fake, id, `hash-${id}`));
    const hashes = await writer.storedHashes('speeches');
    expect(hashes.size).toBe(1_203);
    expect(hashes.get('doc-1202')).toBe('hash-doc-1202');
    expect(fake.queries.map((query) => query.args.limit)).toEqual([1_000, 1_000]);
    const firstPageLast = ids.map((id) => uuidV5(id)).sort()[999];
    expect(fake.queries[1].args.after).toBe(firstPageLast);
  });

  it('deletes objects by doc id in one batch delete', async () => {
    ['a', 'b', 'c'].forEach((id) => storeObject(fake, id, 'hash'));
    await writer.remove('speeches', ['a', 'c', 'gone']);
    const deletion = fake.requests.find((request) => request.method === 'DELETE');
    expect(deletion?.body).toEqual({ match: { class: 'Speeches', where: { path: ['docId'], operator: 'ContainsAny', valueTextArray: ['a', 'c', 'gone'] } }, output: 'verbose' });
    expect(deletion?.query.get('tenant')).toBeNull();
    expect(fake.objectsOf('Speeches').map((object) => object.properties.docId)).toEqual(['b']);
  });

  it('reports the objects a batch delete failed to delete', async () => {
    expect.assertions(1);
    ['a', 'b'].forEach((id) => storeObject(fake, id, 'hash'));
    fake.rejectDelete = (object) => (object.properties.docId === 'b' ? 'shard Speeches_1 is read-only' : undefined);
    await expect(writer.remove('speeches', ['a', 'b'])).rejects.toThrow('Weaviate failed to delete 1 of 2 objects of collection "speeches": b: shard Speeches_1 is read-only.');
  });
});

describe('WeaviateIndexWriter with a tenant', () => {
  const fake = new FakeWeaviate();
  let writer: WeaviateIndexWriter;

  beforeAll(async () => {
    writer = new WeaviateIndexWriter(weaviateConfig({ url: await fake.start(), tenant: 'tenant-a' }));
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('creates a multi-tenant class and its tenant', async () => {
    await writer.prepare(LAYOUT);
    const posts = fake.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.path)).toEqual(['/v1/schema', '/v1/schema/Speeches/tenants']);
    expect((posts[0].body as { multiTenancyConfig: unknown }).multiTenancyConfig).toEqual({ enabled: true });
    expect(posts[1].body).toEqual([{ name: 'tenant-a' }]);
  });

  it('adds no tenant that exists', async () => {
    await writer.prepare(LAYOUT);
    fake.requests.length = 0;
    await writer.prepare(LAYOUT);
    expect(fake.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('rejects an existing class without multi-tenancy', async () => {
    expect.assertions(1);
    fake.classes.set('Speeches', { class: 'Speeches', multiTenancyConfig: { enabled: false }, properties: DOCUMENT_PROPERTIES });
    await expect(writer.prepare(LAYOUT)).rejects.toThrow(
      'Weaviate class Speeches exists, but the collection needs it with multi-tenancy, because vector.backend.tenant is set; delete the class or change vector.backend.tenant.',
    );
  });

  it('sends the tenant with every object', async () => {
    await writer.prepare(LAYOUT);
    await writer.write(LAYOUT, [documentToWrite('a', {}), documentToWrite('b', {})]);
    const batch = fake.requests.find((request) => request.path === '/v1/batch/objects')?.body as { objects: StoredObject[] };
    expect(batch.objects.map((object) => object.tenant)).toEqual(['tenant-a', 'tenant-a']);
    expect(fake.objectsOf('Speeches', 'tenant-a')).toHaveLength(2);
  });

  it('lists and deletes within the tenant', async () => {
    storeObject(fake, 'a', 'hash-a', 'tenant-a');
    storeObject(fake, 'b', 'hash-b', 'tenant-b');
    const hashes = await writer.storedHashes('speeches');
    await writer.remove('speeches', ['a', 'b']);
    expect([...hashes.keys()]).toEqual(['a']);
    expect(fake.queries[0].args.tenant).toBe('tenant-a');
    expect(fake.requests.find((request) => request.method === 'DELETE')?.query.get('tenant')).toBe('tenant-a');
    expect([...fake.objects.keys()]).toEqual([`Speeches/tenant-b/${uuidV5('b')}`]);
  });
});

describe('syncCollection into Weaviate', () => {
  const fake = new FakeWeaviate();
  let url: string;

  beforeAll(async () => {
    url = await fake.start();
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('imports every document in batches of batchSize', async () => {
    const writer = new WeaviateIndexWriter(weaviateConfig({ url, batchSize: 3 }));
    const progress: Array<[number, string]> = [];
    const counts = await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, (count, step) => progress.push([count, step]));
    expect(counts).toEqual({ added: 4, updated: 0, removed: 0, unchanged: 0 });
    const batches = fake.requests.filter((request) => request.path === '/v1/batch/objects').map((request) => (request.body as { objects: StoredObject[] }).objects.length);
    expect(batches).toEqual([3, 1]);
    expect(progress).toEqual([
      [0, 'unchanged'],
      [3, 'written'],
      [1, 'written'],
    ]);
  });

  it('stores each content hash and leaves out a zero vector', async () => {
    const writer = new WeaviateIndexWriter(weaviateConfig({ url }));
    await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    const stored = new Map(fake.objectsOf('Speeches').map((object) => [object.properties.docId, object]));
    expect(stored.get('p1')?.properties.contentHash).toBe(contentHash(sourceDocuments()[0]));
    expect(stored.get('p1')?.vector).toEqual([1, 0, 0]);
    expect(stored.get('p4')?.vector).toBeUndefined();
  });

  it('writes changed and new documents and deletes stale ones on the next run', async () => {
    const writer = new WeaviateIndexWriter(weaviateConfig({ url }));
    await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    fake.requests.length = 0;

    const [p1, p2, p3] = sourceDocuments();
    const next = [p1, { ...p2, metadata: { ...p2.metadata, year: 1942 } }, p3, { id: 'p5', text: 'new passage', metadata: { president: 'Someone', year: 2020 } }];
    const counts = await syncCollection(writer, LAYOUT, next, embedBySource, () => undefined);

    expect(counts).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 2 });
    const written = fake.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batch/objects').flatMap((request) => (request.body as { objects: StoredObject[] }).objects);
    expect(written.map((object) => object.properties.docId)).toEqual(['p2', 'p5']);
    expect(fake.objectsOf('Speeches').map((object) => object.properties.docId).sort()).toEqual(['p1', 'p2', 'p3', 'p5']);
  });

  it('rewrites every document with force', async () => {
    const writer = new WeaviateIndexWriter(weaviateConfig({ url }));
    await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    const counts = await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined, true);
    expect(counts).toEqual({ added: 0, updated: 4, removed: 0, unchanged: 0 });
  });

  it('finds synced documents by cosine similarity', async () => {
    const writer = new WeaviateIndexWriter(weaviateConfig({ url }));
    await syncCollection(writer, LAYOUT, sourceDocuments(), embedBySource, () => undefined);
    const backend = new WeaviateBackend(weaviateConfig({ url }));
    const query = Float32Array.from([0.8, 0.6, 0]);
    const { hits } = await backend.search({ collection: 'speeches', mode: 'vector', text: '', vector: query, filters: [], first: 2 });
    // cos(q, p3) = 0.8·0.6 + 0.6·0.8 = 0.96 and cos(q, p1) = 0.8, both vectors of unit length.
    expect(hits.map((hit) => hit.id)).toEqual(['p3', 'p1']);
    expect(hits[0].score).toBeCloseTo(0.96, 6);
    expect(hits[1].score).toBeCloseTo(0.8, 6);
    expect(hits[0].metadata).toEqual({ president: 'John F. Kennedy', year: 1961 });
  });

  it('keeps tenants apart', async () => {
    const writerA = new WeaviateIndexWriter(weaviateConfig({ url, tenant: 'tenant-a' }));
    const writerB = new WeaviateIndexWriter(weaviateConfig({ url, tenant: 'tenant-b' }));
    await syncCollection(writerA, LAYOUT, sourceDocuments().slice(0, 2), embedBySource, () => undefined);
    await syncCollection(writerB, LAYOUT, sourceDocuments().slice(2, 3), embedBySource, () => undefined);
    const backend = new WeaviateBackend(weaviateConfig({ url, tenant: 'tenant-b' }));
    const { hits } = await backend.search({ collection: 'speeches', mode: 'vector', text: '', vector: Float32Array.from([1, 0, 0]), filters: [], first: 5 });
    expect(hits.map((hit) => hit.id)).toEqual(['p3']);
    expect(fake.tenants.get('Speeches')).toEqual(['tenant-a', 'tenant-b']);
  });
});

import { cosine } from '../../../support/cosine.js';
import { RecordingServer, type FakeReply, type ReceivedRequest } from './recordingServer.js';

/** One HTTP request as the fake received it; an NDJSON body is parsed line by line. */
export interface EsRequest extends ReceivedRequest {
  readonly body: Record<string, unknown>;
  /** The lines of an NDJSON body (`_bulk`), each parsed. */
  readonly lines: unknown[];
}

/** A stored index: the mappings it was created with and its documents by id. */
export interface FakeIndex {
  readonly mappings: { properties?: Record<string, { type?: string; dims?: number; similarity?: string }>; [key: string]: unknown };
  readonly documents: Map<string, Record<string, unknown>>;
}

interface ErrorCause {
  readonly type: string;
  readonly reason: string;
}

interface Scroll {
  readonly ids: string[];
  readonly index: string;
  readonly size: number;
  offset: number;
}

/**
 * An Elasticsearch on 127.0.0.1 that speaks the REST API `@elastic/elasticsearch` 9 calls: index
 * templates, index creation and mappings, `_bulk`, scroll searches, `_search` and `_mget`. Every
 * response carries `x-elastic-product: Elasticsearch`, because the client rejects a server without
 * it. Indices take their mappings from a matching template, and `_bulk` checks `dense_vector`
 * dimensions and zero vectors under cosine similarity as Elasticsearch does. A `_search` with
 * only `knn` scores by Elasticsearch's cosine formula, (1 + cosine) / 2; any other `_search`
 * returns `searchReply`, which a test sets.
 */
export class FakeElasticsearch extends RecordingServer<EsRequest> {
  readonly templates = new Map<string, Record<string, unknown>>();
  readonly indices = new Map<string, FakeIndex>();
  searchReply: (request: EsRequest) => FakeReply = () => ({ status: 200, body: searchResponse([]) });
  /** Returns the cause for a document `_bulk` should reject. */
  rejectDocument: (id: string, source: Record<string, unknown>) => ErrorCause | undefined = () => undefined;
  /** Returns the cause for a document `_mget` should fail to read, as when its shard is unavailable. */
  rejectGet: (id: string) => ErrorCause | undefined = () => undefined;
  private readonly scrolls = new Map<string, Scroll>();

  constructor() {
    super({ 'content-type': 'application/vnd.elasticsearch+json; compatible-with=9', 'x-elastic-product': 'Elasticsearch' });
  }

  /** Forgets every template, index, request and scripted behaviour. */
  override reset(): void {
    super.reset();
    this.templates.clear();
    this.indices.clear();
    this.scrolls.clear();
    this.searchReply = () => ({ status: 200, body: searchResponse([]) });
    this.rejectDocument = () => undefined;
    this.rejectGet = () => undefined;
  }

  protected withBody(received: ReceivedRequest, text: string, contentType: string): EsRequest {
    const ndjson = contentType.includes('ndjson');
    const lines = ndjson ? text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown) : [];
    const body = text === '' || ndjson ? {} : (JSON.parse(text) as Record<string, unknown>);
    return { ...received, body, lines };
  }

  protected route(request: EsRequest): FakeReply {
    const [, first, second] = request.path.split('/');
    if (first === '_index_template' && request.method === 'PUT') {
      this.templates.set(second, request.body);
      return { status: 200, body: { acknowledged: true } };
    }
    if (first === '_bulk') {
      return { status: 200, body: this.bulk(request.lines) };
    }
    if (first === '_search' && second === 'scroll') {
      return request.method === 'DELETE' ? { status: 200, body: { succeeded: true, num_freed: 1 } } : this.nextScrollPage(String(request.body.scroll_id));
    }
    return this.indexRoute(request, first, second);
  }

  private indexRoute(request: EsRequest, index: string, action: string | undefined): FakeReply {
    if (action === undefined && request.method === 'HEAD') {
      return { status: this.indices.has(index) ? 200 : 404 };
    }
    if (action === undefined && request.method === 'PUT') {
      return this.createIndex(index);
    }
    const stored = this.indices.get(index);
    if (action === '_mapping') {
      return stored === undefined ? indexNotFound(index) : { status: 200, body: { [index]: { mappings: stored.mappings } } };
    }
    if (action === '_search' && request.query.has('scroll')) {
      return stored === undefined ? indexNotFound(index) : this.startScroll(index, stored, Number(request.body.size));
    }
    if (action === '_search' && request.body.knn !== undefined && request.body.query === undefined && stored !== undefined) {
      return { status: 200, body: knnResponse(index, stored, request.body.knn as { query_vector: number[]; k: number }) };
    }
    if (action === '_search') {
      return this.searchReply(request);
    }
    if (action === '_mget') {
      return { status: 200, body: { docs: (request.body.ids as string[]).map((id) => this.getDocument(index, id)) } };
    }
    return { status: 404, body: { error: { type: 'fake_route_missing', reason: `no route ${request.method} ${request.path}` }, status: 404 } };
  }

  /** Creates an index with the mappings of the template whose pattern matches its name. */
  private createIndex(index: string): FakeReply {
    if (this.indices.has(index)) {
      return { status: 400, body: errorBody('resource_already_exists_exception', `index [${index}/abc] already exists`, 400) };
    }
    const template = [...this.templates.values()].find((candidate) => (candidate.index_patterns as string[]).some((pattern) => matches(pattern, index)));
    const mappings = ((template?.template as { mappings?: FakeIndex['mappings'] } | undefined)?.mappings ?? {}) as FakeIndex['mappings'];
    this.indices.set(index, { mappings, documents: new Map() });
    return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index } };
  }

  private bulk(lines: unknown[]): Record<string, unknown> {
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i += 1) {
      const action = lines[i] as { index?: { _index: string; _id: string }; delete?: { _index: string; _id: string } };
      if (action.index !== undefined) {
        i += 1;
        items.push({ index: this.indexDocument(action.index._index, action.index._id, lines[i] as Record<string, unknown>) });
      } else if (action.delete !== undefined) {
        items.push({ delete: this.deleteDocument(action.delete._index, action.delete._id) });
      }
    }
    const errors = items.some((item) => Object.values(item as Record<string, { error?: unknown }>)[0].error !== undefined);
    return { took: 4, errors, items };
  }

  private indexDocument(index: string, id: string, source: Record<string, unknown>): Record<string, unknown> {
    if (!this.indices.has(index)) {
      this.createIndex(index);
    }
    const stored = this.indices.get(index) as FakeIndex;
    const cause = vectorProblem(stored, id, source.vector as number[] | undefined) ?? this.rejectDocument(id, source);
    if (cause !== undefined) {
      return { _index: index, _id: id, status: 400, error: cause };
    }
    const created = !stored.documents.has(id);
    stored.documents.set(id, source);
    return { _index: index, _id: id, _version: 1, result: created ? 'created' : 'updated', status: created ? 201 : 200 };
  }

  private deleteDocument(index: string, id: string): Record<string, unknown> {
    const deleted = this.indices.get(index)?.documents.delete(id) ?? false;
    return { _index: index, _id: id, _version: 1, result: deleted ? 'deleted' : 'not_found', status: deleted ? 200 : 404 };
  }

  private getDocument(index: string, id: string): Record<string, unknown> {
    const error = this.rejectGet(id);
    if (error !== undefined) {
      return { _index: index, _id: id, error };
    }
    const source = this.indices.get(index)?.documents.get(id);
    return source === undefined ? { _index: index, _id: id, found: false } : { _index: index, _id: id, _version: 1, found: true, _source: { text: source.text, metadata: source.metadata } };
  }

  private startScroll(index: string, stored: FakeIndex, size: number): FakeReply {
    const scrollId = `scroll-${this.scrolls.size + 1}`;
    this.scrolls.set(scrollId, { ids: [...stored.documents.keys()].sort(), index, size, offset: 0 });
    return this.nextScrollPage(scrollId);
  }

  private nextScrollPage(scrollId: string): FakeReply {
    const scroll = this.scrolls.get(scrollId);
    if (scroll === undefined) {
      return { status: 404, body: errorBody('search_context_missing_exception', `No search context found for id [${scrollId}]`, 404) };
    }
    const documents = this.indices.get(scroll.index)?.documents ?? new Map<string, Record<string, unknown>>();
    const ids = scroll.ids.slice(scroll.offset, scroll.offset + scroll.size);
    scroll.offset += ids.length;
    const hits = ids.map((id) => ({ _index: scroll.index, _id: id, _score: null, _source: { content_hash: documents.get(id)?.content_hash }, sort: [0] }));
    return { status: 200, body: { ...searchResponseBody(hits, scroll.ids.length), _scroll_id: scrollId } };
  }
}

function matches(pattern: string, index: string): boolean {
  return pattern.endsWith('*') ? index.startsWith(pattern.slice(0, -1)) : pattern === index;
}

/** Checks a vector against the index's `dense_vector` mapping, with Elasticsearch 8.x messages. */
function vectorProblem(index: FakeIndex, id: string, vector: number[] | undefined): ErrorCause | undefined {
  const mapping = index.mappings.properties?.vector;
  if (vector === undefined || mapping?.type !== 'dense_vector') {
    return undefined;
  }
  if (vector.length !== mapping.dims) {
    return {
      type: 'document_parsing_exception',
      reason: `[1:${id.length}] The [dense_vector] field [vector] in doc [document with id '${id}'] has a different number of dimensions [${vector.length}] than defined in the mapping [${mapping.dims}]`,
    };
  }
  if (mapping.similarity === 'cosine' && vector.every((component) => component === 0)) {
    return { type: 'document_parsing_exception', reason: '[1:30] The [cosine] similarity does not support vectors with zero magnitude.' };
  }
  return undefined;
}

/** Ranks the documents with a vector by Elasticsearch's kNN score for cosine similarity, (1 + cosine) / 2. */
function knnResponse(index: string, stored: FakeIndex, knn: { query_vector: number[]; k: number }): Record<string, unknown> {
  const hits = [...stored.documents.entries()]
    .filter(([, source]) => source.vector !== undefined)
    .map(([id, source]) => ({ _index: index, _id: id, _score: (1 + cosine(knn.query_vector, source.vector as number[])) / 2, _source: { text: source.text, metadata: source.metadata } }))
    .sort((a, b) => b._score - a._score)
    .slice(0, knn.k);
  return searchResponseBody(hits, hits.length);
}

function searchResponseBody(hits: ReadonlyArray<{ _score: number | null }>, total: number): Record<string, unknown> {
  return {
    took: 3,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: total, relation: 'eq' }, max_score: hits[0]?._score ?? null, hits },
  };
}

export interface FakeHit {
  readonly id: string;
  readonly score: number;
  readonly metadata: Record<string, unknown>;
  readonly highlight?: string;
}

/** Builds a `_search` response body of index `speeches` in Elasticsearch's format. */
export function searchResponse(hits: readonly FakeHit[]): Record<string, unknown> {
  return searchResponseBody(
    hits.map((hit) => ({
      _index: 'speeches',
      _id: hit.id,
      _score: hit.score,
      _source: { text: `text of ${hit.id}`, metadata: hit.metadata },
      ...(hit.highlight === undefined ? {} : { highlight: { text: [hit.highlight] } }),
    })),
    hits.length,
  );
}

function errorBody(type: string, reason: string, status: number): Record<string, unknown> {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

function indexNotFound(index: string): FakeReply {
  return { status: 404, body: { ...errorBody('index_not_found_exception', `no such index [${index}]`, 404) } };
}

import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { cosine } from '../../../support/cosine.js';
import { RecordingServer, type FakeReply, type ReceivedRequest } from './recordingServer.js';

/** One HTTP request as the fake received it, with its JSON body parsed, or `undefined` for an empty body. */
export interface WeaviateRequest extends ReceivedRequest {
  readonly body: unknown;
}

/** One `Get` query as the fake parsed it from `POST /v1/graphql`. */
export interface GetRequest {
  readonly className: string;
  readonly args: Record<string, unknown>;
  /** Selected fields; `_additional` subfields as `_additional.<name>`. */
  readonly selection: string[];
  /** The query text as the client sent it. */
  readonly text: string;
  readonly authorization: string | undefined;
}

/** A stored object: what the batch import sent for it. */
export interface StoredObject {
  readonly class: string;
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly vector?: number[];
  readonly tenant?: string;
}

interface WeaviateClassBody {
  readonly class: string;
  readonly multiTenancyConfig?: { readonly enabled?: boolean };
  readonly properties?: Array<{ readonly name: string }>;
  readonly [key: string]: unknown;
}

/**
 * A Weaviate on 127.0.0.1 speaking the REST and GraphQL API that `weaviate-ts-client` 2.x calls:
 * `/v1/meta`, the schema and its tenants, batch import and batch delete, and `Get` queries. It keeps
 * classes, tenants and objects in memory and applies Weaviate's multi-tenancy rules to them. A `Get`
 * query without a search argument lists objects by UUID with the `after` cursor, and `nearVector`
 * ranks by cosine distance. Any other `Get` returns `getReply`, which a test sets.
 */
export class FakeWeaviate extends RecordingServer<WeaviateRequest> {
  readonly queries: GetRequest[] = [];
  readonly classes = new Map<string, WeaviateClassBody>();
  readonly tenants = new Map<string, string[]>();
  /** Objects by `<class>/<tenant>/<uuid>`. */
  readonly objects = new Map<string, StoredObject>();
  getReply: (request: GetRequest) => FakeReply = () => ({ status: 200, body: { data: { Get: {} } } });
  /** Returns an error message for an object the batch import should reject. */
  rejectObject: (object: StoredObject) => string | undefined = () => undefined;
  /** Returns an error message for a matched object the batch delete should fail to delete. */
  rejectDelete: (object: StoredObject) => string | undefined = () => undefined;

  constructor() {
    super({ 'content-type': 'application/json' });
  }

  /** Forgets every class, tenant, object, request and scripted behaviour. */
  override reset(): void {
    super.reset();
    this.queries.length = 0;
    this.classes.clear();
    this.tenants.clear();
    this.objects.clear();
    this.getReply = () => ({ status: 200, body: { data: { Get: {} } } });
    this.rejectObject = () => undefined;
    this.rejectDelete = () => undefined;
  }

  /** Returns the stored objects of a class, of one tenant when given. */
  objectsOf(className: string, tenant?: string): StoredObject[] {
    return [...this.objects.values()].filter((object) => object.class === className && object.tenant === tenant);
  }

  protected withBody(received: ReceivedRequest, text: string): WeaviateRequest {
    return { ...received, body: text === '' ? undefined : JSON.parse(text) };
  }

  protected route(request: WeaviateRequest): FakeReply {
    const route = `${request.method} ${request.path}`;
    const tenantsPath = /^\/v1\/schema\/(\w+)\/tenants$/.exec(request.path);
    const propertiesPath = /^\/v1\/schema\/(\w+)\/properties$/.exec(request.path);
    if (route === 'GET /v1/meta') {
      return ok({ hostname: 'http://[::]:8080', version: '1.25.4', modules: {} });
    }
    if (route === 'GET /v1/schema') {
      return ok({ classes: [...this.classes.values()] });
    }
    if (route === 'POST /v1/schema') {
      return this.createClass(request.body as WeaviateClassBody);
    }
    if (propertiesPath !== null && request.method === 'POST') {
      return this.addProperty(propertiesPath[1], request.body as { name: string });
    }
    if (tenantsPath !== null) {
      return this.tenantRoute(request, tenantsPath[1]);
    }
    if (route === 'POST /v1/batch/objects') {
      return ok((request.body as { objects: StoredObject[] }).objects.map((object) => this.importObject(object)));
    }
    if (route === 'DELETE /v1/batch/objects') {
      return this.deleteObjects(request);
    }
    if (route === 'POST /v1/graphql') {
      return this.graphql(request);
    }
    return { status: 404, body: { error: [{ message: `no route ${route}` }] } };
  }

  private createClass(body: WeaviateClassBody): FakeReply {
    if (this.classes.has(body.class)) {
      return unprocessable(`class name "${body.class}" already exists`);
    }
    this.classes.set(body.class, body);
    return ok(body);
  }

  private addProperty(className: string, property: { name: string }): FakeReply {
    const existing = this.classes.get(className);
    if (existing === undefined) {
      return notFound(`class "${className}" not found`);
    }
    this.classes.set(className, { ...existing, properties: [...(existing.properties ?? []), property] });
    return ok(property);
  }

  private tenantRoute(request: WeaviateRequest, className: string): FakeReply {
    const definition = this.classes.get(className);
    if (definition?.multiTenancyConfig?.enabled !== true) {
      return unprocessable(`multi-tenancy is not enabled for class "${className}"`);
    }
    const names = this.tenants.get(className) ?? [];
    if (request.method === 'GET') {
      return ok(names.map((name) => ({ name, activityStatus: 'HOT' })));
    }
    const added = request.body as Array<{ name: string }>;
    this.tenants.set(className, [...names, ...added.map((tenant) => tenant.name)]);
    return ok(added);
  }

  /** Applies Weaviate's checks to one batch object and stores it; returns its batch result. */
  private importObject(object: StoredObject): unknown {
    const problem = this.objectProblem(object) ?? this.rejectObject(object);
    if (problem !== undefined) {
      return { ...object, result: { errors: { error: [{ message: problem }] } } };
    }
    this.objects.set(`${object.class}/${object.tenant ?? ''}/${object.id}`, object);
    return { ...object, result: {} };
  }

  private objectProblem(object: StoredObject): string | undefined {
    const definition = this.classes.get(object.class);
    if (definition === undefined) {
      return `class "${object.class}" not found in schema`;
    }
    const multiTenant = definition.multiTenancyConfig?.enabled === true;
    if (multiTenant && object.tenant === undefined) {
      return `has multi-tenancy enabled, but request was without tenant`;
    }
    if (multiTenant && !(this.tenants.get(object.class) ?? []).includes(object.tenant ?? '')) {
      return `tenant not found: "${object.tenant}"`;
    }
    if (!multiTenant && object.tenant !== undefined) {
      return `has multi-tenancy disabled, but request was with tenant`;
    }
    return undefined;
  }

  /** Deletes the objects whose `docId` is in a `ContainsAny` filter, the form the index writer sends. */
  private deleteObjects(request: WeaviateRequest): FakeReply {
    const body = request.body as { match: { class: string; where: { path: string[]; operator: string; valueTextArray: string[] } }; output: string };
    const tenant = request.query.get('tenant') ?? undefined;
    const ids = new Set(body.match.where.valueTextArray);
    const matched = this.objectsOf(body.match.class, tenant).filter((object) => ids.has(object.properties.docId as string));
    const objects = matched.map((object) => {
      const problem = this.rejectDelete(object);
      if (problem !== undefined) {
        return { id: object.id, status: 'FAILED', errors: { error: [{ message: problem }] } };
      }
      this.objects.delete(`${object.class}/${object.tenant ?? ''}/${object.id}`);
      return { id: object.id, status: 'SUCCESS' };
    });
    const failed = objects.filter((object) => object.status === 'FAILED').length;
    const results = { matches: matched.length, limit: 10_000, successful: matched.length - failed, failed, objects };
    return ok({ match: body.match, output: body.output, dryRun: false, results });
  }

  private graphql(request: WeaviateRequest): FakeReply {
    const text = (request.body as { query: string }).query;
    const get = parseGet(text, request.authorization);
    this.queries.push(get);
    if (get.args.nearVector !== undefined && get.args.where === undefined) {
      return ok({ data: { Get: { [get.className]: this.nearVector(get) } } });
    }
    if (get.args.nearVector === undefined && get.args.bm25 === undefined && get.args.hybrid === undefined && get.args.where === undefined) {
      return ok({ data: { Get: { [get.className]: this.listObjects(get) } } });
    }
    return this.getReply(get);
  }

  /** Lists objects in UUID order after the `after` cursor, as Weaviate's cursor API does. */
  private listObjects(get: GetRequest): unknown[] {
    const after = get.args.after as string | undefined;
    const objects = this.objectsOf(get.className, get.args.tenant as string | undefined).sort((a, b) => a.id.localeCompare(b.id));
    return objects
      .filter((object) => after === undefined || object.id > after)
      .slice(0, get.args.limit as number)
      .map((object) => ({ ...select(object.properties, get.selection), _additional: { id: object.id } }));
  }

  /** Ranks the objects that have a vector by cosine distance to the query vector, nearest first. */
  private nearVector(get: GetRequest): unknown[] {
    const query = (get.args.nearVector as { vector: number[] }).vector;
    return this.objectsOf(get.className, get.args.tenant as string | undefined)
      .filter((object) => object.vector !== undefined)
      .map((object) => ({ object, distance: 1 - cosine(query, object.vector as number[]) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, get.args.limit as number)
      .map(({ object, distance }) => ({ ...select(object.properties, get.selection), _additional: { distance } }));
  }
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}

function unprocessable(message: string): FakeReply {
  return { status: 422, body: { error: [{ message }] } };
}

function notFound(message: string): FakeReply {
  return { status: 404, body: { error: [{ message }] } };
}

function select(properties: Record<string, unknown>, selection: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(selection.filter((field) => !field.startsWith('_additional')).map((field) => [field, properties[field] ?? null]));
}

/** Reads the class, its arguments and its selection out of `{ Get { <Class>(...) { ... } } }`. */
export function parseGet(text: string, authorization: string | undefined): GetRequest {
  const operation = parse(text).definitions[0] as OperationDefinitionNode;
  const get = operation.selectionSet.selections[0] as FieldNode;
  const target = get.selectionSet?.selections[0] as FieldNode;
  const args = Object.fromEntries((target.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
  return { className: target.name.value, args, selection: selectionOf(target.selectionSet), text, authorization };
}

function selectionOf(selectionSet: SelectionSetNode | undefined, prefix = ''): string[] {
  return (selectionSet?.selections ?? []).flatMap((field) => {
    if (field.kind !== Kind.FIELD) {
      return [];
    }
    const name = `${prefix}${field.name.value}`;
    return field.selectionSet === undefined ? [name] : selectionOf(field.selectionSet, `${name}.`);
  });
}

import type { WeaviateClass, WeaviateObject, WeaviateSchema } from 'weaviate-ts-client';
import type { WeaviateConfig } from '../../../../core/config/sections/vector.js';
import type { CollectionLayout, DocumentToWrite, IndexWriter } from '../backend.js';
import { listFailures } from '../failures.js';
import { connectWeaviate, describeFailure, objectId, weaviateClassName, withTimeout, type WeaviateConnection } from './connection.js';
import { runGet } from './get.js';
import { classDefinition, missingProperties } from './schema.js';

/** Objects per page when listing the stored content hashes with Weaviate's cursor (`after`). */
const LIST_PAGE_SIZE = 1_000;

interface StoredObject {
  readonly docId: string;
  readonly contentHash: string | null;
  readonly _additional: { readonly id: string };
}

/** One entry of a batch response; `result.errors` is set when Weaviate rejected the object. */
interface BatchResultEntry {
  readonly result?: { readonly errors?: { readonly error?: ReadonlyArray<{ readonly message?: string }> } };
}

interface BatchDeleteResult {
  readonly results?: {
    readonly objects?: ReadonlyArray<{ readonly id?: string; readonly status?: string; readonly errors?: { readonly error?: ReadonlyArray<{ readonly message?: string }> } }>;
  };
}

/**
 * Writes collections into Weaviate: a class per collection (created when missing), objects imported
 * in batches with the pipeline's vectors under UUIDs derived from the document ids, and stale objects
 * deleted in batches. With `vector.backend.tenant`, classes are multi-tenant, the tenant is added
 * when missing and every object and query carries it.
 */
export class WeaviateIndexWriter implements IndexWriter {
  readonly kind = 'weaviate';
  readonly batchSize: number;
  private readonly connection: WeaviateConnection;

  /** @throws ConfigError when the API key's environment variable or file cannot be read. */
  constructor(config: WeaviateConfig) {
    this.connection = connectWeaviate(config);
    this.batchSize = config.batchSize;
  }

  async prepare(layout: CollectionLayout): Promise<void> {
    const className = weaviateClassName(layout.name);
    const multiTenant = this.connection.tenant !== undefined;
    const schema = await this.send<WeaviateSchema>('schema read', this.connection.client.schema.getter().do());
    const existing = schema.classes?.find((candidate) => candidate.class === className);
    if (existing === undefined) {
      await this.send(`creation of class ${className}`, this.connection.client.schema.classCreator().withClass(classDefinition(layout, multiTenant)).do());
    } else {
      await this.addProperties(existing, layout, multiTenant);
    }
    if (this.connection.tenant !== undefined) {
      await this.ensureTenant(className, this.connection.tenant);
    }
  }

  async storedHashes(collection: string): Promise<Map<string, string>> {
    const className = weaviateClassName(collection);
    const hashes = new Map<string, string>();
    let after: string | undefined;
    let page: StoredObject[];
    do {
      page = await this.listPage(className, after);
      for (const object of page) {
        hashes.set(object.docId, object.contentHash ?? '');
      }
      after = page.at(-1)?._additional.id;
    } while (page.length === LIST_PAGE_SIZE);
    return hashes;
  }

  async write(layout: CollectionLayout, documents: readonly DocumentToWrite[]): Promise<void> {
    const className = weaviateClassName(layout.name);
    const objects = documents.map((document) => this.toObject(className, layout, document));
    const results = await this.send<BatchResultEntry[]>(`batch import into class ${className}`, this.connection.client.batch.objectsBatcher().withObjects(...objects).do());
    const failures = results.flatMap((entry, i) => {
      const messages = entry.result?.errors?.error ?? [];
      return messages.length === 0 ? [] : [`${documents[i].id}: ${messages.map((error) => error.message ?? 'no message').join(', ')}`];
    });
    if (failures.length > 0) {
      throw new Error(`Weaviate rejected ${failures.length} of ${documents.length} objects of collection "${layout.name}": ${listFailures(failures)}.`);
    }
  }

  async remove(collection: string, ids: readonly string[]): Promise<void> {
    const className = weaviateClassName(collection);
    let deleter = this.connection.client.batch
      .objectsBatchDeleter()
      .withClassName(className)
      .withWhere({ path: ['docId'], operator: 'ContainsAny', valueTextArray: [...ids] })
      .withOutput('verbose');
    if (this.connection.tenant !== undefined) {
      deleter = deleter.withTenant(this.connection.tenant);
    }
    const response = await this.send<BatchDeleteResult>(`batch delete from class ${className}`, deleter.do());
    const documentIds = new Map(ids.map((id) => [objectId(id), id]));
    const failures = (response.results?.objects ?? [])
      .filter((object) => object.status === 'FAILED')
      .map((object) => `${documentIds.get(object.id ?? '') ?? object.id}: ${(object.errors?.error ?? []).map((error) => error.message ?? 'no message').join(', ')}`);
    if (failures.length > 0) {
      throw new Error(`Weaviate failed to delete ${failures.length} of ${ids.length} objects of collection "${collection}": ${listFailures(failures)}.`);
    }
  }

  async close(): Promise<void> {}

  private async addProperties(existing: WeaviateClass, layout: CollectionLayout, multiTenant: boolean): Promise<void> {
    const className = weaviateClassName(layout.name);
    for (const property of missingProperties(existing, layout, multiTenant)) {
      const creator = this.connection.client.schema.propertyCreator().withClassName(className).withProperty(property);
      await this.send(`addition of property ${property.name} to class ${className}`, creator.do());
    }
  }

  private async ensureTenant(className: string, tenant: string): Promise<void> {
    const tenants = await this.send<Array<{ name?: string }>>(`tenant list of class ${className}`, this.connection.client.schema.tenantsGetter(className).do());
    if (!tenants.some((existing) => existing.name === tenant)) {
      await this.send(`creation of tenant ${tenant} in class ${className}`, this.connection.client.schema.tenantsCreator(className, [{ name: tenant }]).do());
    }
  }

  private async listPage(className: string, after: string | undefined): Promise<StoredObject[]> {
    let query = this.connection.client.graphql.get().withClassName(className).withFields('docId contentHash _additional { id }').withLimit(LIST_PAGE_SIZE);
    if (after !== undefined) {
      query = query.withAfter(after);
    }
    if (this.connection.tenant !== undefined) {
      query = query.withTenant(this.connection.tenant);
    }
    const operation = `listing of class ${className}`;
    let result;
    try {
      result = await runGet<StoredObject>(query, className, this.connection.timeoutMs);
    } catch (error) {
      throw new Error(`Weaviate ${operation} failed: ${(error as Error).message}.`, { cause: error });
    }
    // A partial listing would leave stale objects behind, so it fails the run instead.
    if (result.errors.length > 0) {
      throw new Error(`Weaviate ${operation} failed: ${result.errors[0].replace(/\.$/, '')}.`);
    }
    return result.objects;
  }

  /** Returns the object of a document: its declared metadata fields as properties, null ones left out so `IsNull` matches them. */
  private toObject(className: string, layout: CollectionLayout, document: DocumentToWrite): WeaviateObject {
    const properties: Record<string, unknown> = { docId: document.id, text: document.text, metadata: JSON.stringify(document.metadata), contentHash: document.contentHash };
    for (const field of layout.metadata) {
      const value = document.metadata[field.name];
      if (value !== null && value !== undefined) {
        properties[field.name] = value;
      }
    }
    return {
      class: className,
      id: objectId(document.id),
      properties,
      ...(document.vector === undefined ? {} : { vector: Array.from(document.vector) }),
      ...(this.connection.tenant === undefined ? {} : { tenant: this.connection.tenant }),
    };
  }

  /** Sends a REST request; `operation` names it in the error, such as `batch import into class Speeches`. */
  private async send<T>(operation: string, request: Promise<unknown>): Promise<T> {
    try {
      return (await withTimeout(request, this.connection.timeoutMs)) as T;
    } catch (error) {
      throw new Error(`Weaviate ${operation} failed: ${describeFailure(error)}.`, { cause: error });
    }
  }
}

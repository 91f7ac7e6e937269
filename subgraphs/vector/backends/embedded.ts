import { existsSync } from 'node:fs';
import path from 'node:path';
import { errors } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/logger.js';
import { openCollection, type VectorCollection } from '../index/index.js';
import type { CollectionHit, CollectionResult, CollectionSearch, LookupResult, SearchBackend } from './backend.js';

/** Folder of a collection's saved index under the data folder. */
export function collectionDirectory(dataDir: string, collection: string): string {
  return path.join(dataDir, 'vector', collection);
}

/** The in-process index: one `VectorCollection` per declared collection, opened from the data folder. */
export class EmbeddedBackend implements SearchBackend {
  readonly kind = 'embedded';

  constructor(private readonly collections: ReadonlyMap<string, VectorCollection>) {}

  /**
   * Opens the saved collections of `dataDir`. Warns when a collection was indexed with another
   * exact-search threshold than `exactSearchBelow`, because the threshold is part of the saved index.
   *
   * @throws Error naming the folder when a collection was never indexed.
   */
  static open(dataDir: string, names: readonly string[], exactSearchBelow: number, logger: Logger): EmbeddedBackend {
    const collections = new Map<string, VectorCollection>();
    for (const name of names) {
      const directory = collectionDirectory(dataDir, name);
      if (!existsSync(path.join(directory, 'CURRENT'))) {
        throw new Error(`Collection "${name}" has no index in ${directory}; run \`meshgate pipeline\` to build it.`);
      }
      const collection = openCollection(directory);
      if (collection.options.hnswThreshold !== exactSearchBelow) {
        logger.warn({ collection: name, indexed: collection.options.hnswThreshold, configured: exactSearchBelow }, 'collection indexed with another vector.exactSearchBelow; run `meshgate pipeline` to apply it');
      }
      logger.info({ collection: name, documents: collection.size }, 'collection opened');
      collections.set(name, collection);
    }
    return new EmbeddedBackend(collections);
  }

  async search(request: CollectionSearch): Promise<CollectionResult> {
    const collection = this.collection(request.collection);
    const hits = collection.search({ mode: request.mode, text: request.text, vector: request.vector, filters: request.filters, first: request.first });
    return { hits: hits.map((hit) => ({ ...hit, text: collection.get(hit.id)?.text ?? '' })) };
  }

  async lookup(collectionName: string, ids: readonly string[]): Promise<LookupResult> {
    const collection = this.collection(collectionName);
    const found = new Map<string, CollectionHit>();
    for (const id of ids) {
      const document = collection.get(id);
      if (document !== undefined) {
        found.set(id, { id, score: 0, snippet: '', text: document.text, metadata: document.metadata });
      }
    }
    return { found };
  }

  async close(): Promise<void> {}

  private collection(name: string): VectorCollection {
    const collection = this.collections.get(name);
    if (collection === undefined) {
      throw errors.COLLECTION_NOT_FOUND.error(`Collection "${name}" is not open in the embedded index.`);
    }
    return collection;
  }
}

import type { SourceDocument } from '../index/index.js';
import type { CollectionLayout, MetadataFieldType } from './backend.js';

const TYPE_OF_VALUE: Readonly<Record<string, MetadataFieldType>> = { string: 'text', number: 'number', boolean: 'boolean' };

/**
 * Returns the layout of a collection: each declared metadata field typed by the values the documents
 * carry. A field whose values are all null is typed `text`.
 *
 * @throws Error naming the field when its values mix types, because a cluster field has one type
 */
export function collectionLayout(name: string, metadataFields: readonly string[], documents: readonly SourceDocument[], dimension: number): CollectionLayout {
  return { name, dimension, metadata: metadataFields.map((field) => ({ name: field, type: metadataType(name, field, documents) })) };
}

function metadataType(collection: string, field: string, documents: readonly SourceDocument[]): MetadataFieldType {
  let found: { type: MetadataFieldType; id: string } | undefined;
  for (const document of documents) {
    const value = document.metadata[field];
    if (value === null || value === undefined) {
      continue;
    }
    const type = TYPE_OF_VALUE[typeof value];
    if (found !== undefined && found.type !== type) {
      throw new Error(
        `Metadata field "${field}" of collection "${collection}" is ${found.type} in document "${found.id}" but ${type} in document "${document.id}"; ` +
          'a search cluster gives each field one type.',
      );
    }
    found ??= { type, id: document.id };
  }
  return found?.type ?? 'text';
}

import type { Property, WeaviateClass } from 'weaviate-ts-client';
import type { CollectionLayout, MetadataFieldType } from '../backend.js';
import { weaviateClassName } from './connection.js';

/**
 * Properties of every collection class. `docId` is matched exactly, `text` is the only property
 * that BM25 searches, and `metadata` (all metadata as JSON) and `contentHash` are only stored.
 */
const DOCUMENT_PROPERTIES: readonly Property[] = [
  { name: 'docId', dataType: ['text'], tokenization: 'field', indexFilterable: true, indexSearchable: false },
  { name: 'text', dataType: ['text'], tokenization: 'word', indexFilterable: false, indexSearchable: true },
  { name: 'metadata', dataType: ['text'], indexFilterable: false, indexSearchable: false },
  { name: 'contentHash', dataType: ['text'], indexFilterable: false, indexSearchable: false },
];

/** Names a metadata field cannot have: the document properties and the names Weaviate reserves. */
const RESERVED_NAMES = new Set([...DOCUMENT_PROPERTIES.map((property) => property.name), 'id', '_id', '_additional']);

/**
 * Returns the class of a collection: vectors supplied by the caller (`vectorizer: none`) under cosine
 * distance, null state indexed so that `IsNull` filters work, and one filterable property per
 * metadata field, so `where` can filter on it.
 *
 * @throws Error when a metadata field has a reserved name
 */
export function classDefinition(layout: CollectionLayout, multiTenant: boolean): WeaviateClass {
  return {
    class: weaviateClassName(layout.name),
    description: `meshgate collection "${layout.name}"`,
    vectorizer: 'none',
    vectorIndexConfig: { distance: 'cosine' },
    invertedIndexConfig: { indexNullState: true },
    multiTenancyConfig: { enabled: multiTenant },
    properties: [...DOCUMENT_PROPERTIES, ...metadataProperties(layout)],
  };
}

/**
 * Returns the properties of `layout` that an existing class lacks, such as a metadata field declared
 * after the class was created.
 *
 * @throws Error when the class was created with other multi-tenancy or distance settings, which Weaviate cannot change
 */
export function missingProperties(existing: WeaviateClass, layout: CollectionLayout, multiTenant: boolean): Property[] {
  const className = weaviateClassName(layout.name);
  if (Boolean(existing.multiTenancyConfig?.enabled) !== multiTenant) {
    const expected = multiTenant ? 'with multi-tenancy, because vector.backend.tenant is set' : 'without multi-tenancy, because vector.backend.tenant is not set';
    throw new Error(`Weaviate class ${className} exists, but the collection needs it ${expected}; delete the class or change vector.backend.tenant.`);
  }
  const distance = existing.vectorIndexConfig?.distance;
  if (distance !== undefined && distance !== 'cosine') {
    throw new Error(`Weaviate class ${className} uses distance "${String(distance)}", but search scores assume "cosine"; delete the class to re-create it.`);
  }
  const present = new Set((existing.properties ?? []).map((property) => property.name));
  return [...DOCUMENT_PROPERTIES, ...metadataProperties(layout)].filter((property) => !present.has(property.name));
}

function metadataProperties(layout: CollectionLayout): Property[] {
  return layout.metadata.map((field) => {
    if (RESERVED_NAMES.has(field.name)) {
      throw new Error(`Collection "${layout.name}" declares metadata field "${field.name}", a name the Weaviate class reserves; rename the field.`);
    }
    return metadataProperty(field.name, field.type);
  });
}

/** Text metadata is matched as a whole value (`field` tokenization), like a keyword field. */
function metadataProperty(name: string, type: MetadataFieldType): Property {
  if (type === 'text') {
    return { name, dataType: ['text'], tokenization: 'field', indexFilterable: true, indexSearchable: false };
  }
  return { name, dataType: [type], indexFilterable: true };
}

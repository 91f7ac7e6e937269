import type { estypes } from '@elastic/elasticsearch';
import type { CollectionLayout, MetadataFieldType } from '../backend.js';

/** Elasticsearch field type of each metadata type; strings are keywords, so filters match whole values. */
const METADATA_MAPPING: Record<MetadataFieldType, estypes.MappingProperty> = {
  text: { type: 'keyword' },
  number: { type: 'double' },
  boolean: { type: 'boolean' },
};

/** Returns the name of a collection's index template. */
export function templateName(collection: string): string {
  return `meshgate-${collection}`;
}

/**
 * Builds the index template of a collection, which applies to the index of the same name when it is
 * created: `text` for BM25, `vector` as an indexed `dense_vector` with cosine similarity and the
 * model's dimension, `content_hash` stored only, and `metadata.*` typed from the layout. Metadata
 * fields that `@collection` does not declare, such as the entity key, are mapped as keywords when
 * they are strings and by Elasticsearch's dynamic mapping otherwise.
 */
export function indexTemplate(layout: CollectionLayout): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: templateName(layout.name),
    index_patterns: [layout.name],
    _meta: { managed_by: 'meshgate', collection: layout.name },
    template: {
      mappings: {
        dynamic_templates: [{ metadata_strings: { path_match: 'metadata.*', match_mapping_type: 'string', mapping: { type: 'keyword' } } }],
        properties: {
          text: { type: 'text' },
          vector: { type: 'dense_vector', dims: layout.dimension, index: true, similarity: 'cosine' },
          content_hash: { type: 'keyword', index: false },
          metadata: { type: 'object', properties: Object.fromEntries(layout.metadata.map((field) => [field.name, METADATA_MAPPING[field.type]])) },
        },
      },
    },
  };
}

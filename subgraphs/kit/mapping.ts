/**
 * Mapping directives a domain team writes in its data product's SDL. The engine reads them, generates
 * the API from them and removes them from the SDL it serves, so they never reach the supergraph.
 */
export const MAPPING_DIRECTIVES_SDL = `
"Maps an object type to a table of the subgraph's backend. \`key\` names the fields that identify a row when the type has no @key."
directive @table(name: String!, plural: String, key: [String!]) on OBJECT
"Maps an object type to a lake dataset (a folder of Parquet, CSV or JSON files)."
directive @dataset(name: String!, plural: String, key: [String!]) on OBJECT
"Maps a field to a column whose name differs from the field's."
directive @column(name: String!) on FIELD_DEFINITION
"Maps a field of an entity type owned by another domain to the column that holds that entity's key."
directive @reference(column: String!) on FIELD_DEFINITION
"Declares a reverse relation: the rows of the field's type whose reference field \`field\` points at this entity."
directive @relation(field: String!) on FIELD_DEFINITION
`;

export const MAPPING_DIRECTIVE_NAMES = new Set(['table', 'dataset', 'column', 'reference', 'relation']);

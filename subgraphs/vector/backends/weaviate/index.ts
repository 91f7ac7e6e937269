export { WeaviateBackend } from './backend.js';
export { WeaviateIndexWriter } from './writer.js';
export { objectId, weaviateClassName } from './connection.js';
export { toWhereFilter } from './where.js';

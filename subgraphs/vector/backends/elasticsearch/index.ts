export { ElasticsearchBackend } from './backend.js';
export { ElasticsearchIndexWriter } from './writer.js';
export { toFilterClauses } from './filters.js';
export { indexTemplate, templateName } from './template.js';

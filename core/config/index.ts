export { ConfigError, describeConfigIssue, loadConfig, subgraphUrl, validateConfig } from './load.js';
export { configSchema, type ConfigInput, type MeshConfig, type SubgraphName } from './schema.js';

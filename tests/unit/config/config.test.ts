import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, subgraphUrl } from '../../../core/config/index.js';

function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig defaults', () => {
  const config = loadConfig({ env: {} });

  it('listens on 127.0.0.1:4000', () => {
    expect(config.gateway.host).toBe('127.0.0.1');
    expect(config.gateway.port).toBe(4000);
  });

  it('pages 50 rows by default and at most 1000', () => {
    expect(config.pagination).toEqual({ defaultPageSize: 50, maxPageSize: 1000 });
  });

  it('runs in development with info logs', () => {
    expect(config.environment).toBe('development');
    expect(config.log.level).toBe('info');
    expect(config.dataDir).toBe('data');
  });

  it('gives every subgraph its own port', () => {
    const { lake, warehouse, vector, inference } = config.subgraphs;

    expect([lake.port, warehouse.port, vector.port, inference.port]).toEqual([4101, 4102, 4103, 4104]);
  });

  it('builds the subgraph URL from host and port', () => {
    expect(subgraphUrl(config, 'lake')).toBe('http://127.0.0.1:4101/graphql');
  });

  it('waits 10 seconds for in-flight requests on shutdown', () => {
    expect(config.gateway.shutdownGraceMs).toBe(10000);
  });

  it('freezes nested sections', () => {
    expect(Object.isFrozen(config.gateway)).toBe(true);
  });
});

describe('loadConfig overrides', () => {
  it('reads a nested option from MESHGATE_GATEWAY__PORT as a number', () => {
    expect(loadConfig({ env: { MESHGATE_GATEWAY__PORT: '4001' } }).gateway.port).toBe(4001);
  });

  it('turns upper snake case segments into camelCase', () => {
    const config = loadConfig({ env: { MESHGATE_PAGINATION__MAX_PAGE_SIZE: '200' } });

    expect(config.pagination.maxPageSize).toBe(200);
  });

  it('takes a value that is not JSON as a string', () => {
    expect(loadConfig({ env: { MESHGATE_DATA_DIR: '/srv/data' } }).dataDir).toBe('/srv/data');
  });

  it('ignores variables without the prefix and MESHGATE_CONFIG', () => {
    const config = loadConfig({ env: { GATEWAY__PORT: '1', MESHGATE_CONFIG: 'meshgate.json' } });

    expect(config.gateway.port).toBe(4000);
  });

  it('lets explicit overrides win over the environment', () => {
    const config = loadConfig({ env: { MESHGATE_GATEWAY__PORT: '4001' }, overrides: { gateway: { port: 4002 } } });

    expect(config.gateway.port).toBe(4002);
  });

  it('keeps sibling defaults when one nested option is set', () => {
    expect(loadConfig({ env: { MESHGATE_GATEWAY__PORT: '4001' } }).gateway.host).toBe('127.0.0.1');
  });

  it('uses an explicit subgraph URL as given', () => {
    const config = loadConfig({ env: {}, overrides: { subgraphs: { vector: { port: 4103, url: 'http://vector:8080/graphql' } } } });

    expect(subgraphUrl(config, 'vector')).toBe('http://vector:8080/graphql');
  });
});

describe('loadConfig with a file', () => {
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'meshgate-config-'));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('lets the environment win over the file', () => {
    const file = join(folder, 'ports.json');
    writeFileSync(file, JSON.stringify({ gateway: { port: 5000, host: '0.0.0.0' } }));
    const config = loadConfig({ file, env: { MESHGATE_GATEWAY__PORT: '5001' } });

    expect(config.gateway.port).toBe(5001);
    expect(config.gateway.host).toBe('0.0.0.0');
  });

  it('rejects a file that is not JSON naming the file', () => {
    const file = join(folder, 'broken.json');
    writeFileSync(file, '{ "gateway": ');
    const error = configErrorOf(() => loadConfig({ file, env: {} }));

    expect(error.issues[0].startsWith(`--config (or MESHGATE_CONFIG): ${file} is not valid JSON: `)).toBe(true);
  });

  it('rejects a missing file naming the file', () => {
    const file = join(folder, 'missing.json');
    const error = configErrorOf(() => loadConfig({ file, env: {} }));

    expect(error.issues[0].startsWith(`--config (or MESHGATE_CONFIG): cannot read ${file}: ENOENT`)).toBe(true);
  });
});

describe('loadConfig validation', () => {
  it('rejects a non-numeric port with its path', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_GATEWAY__PORT: 'http' } }));

    expect(error.issues).toEqual(['gateway.port: Invalid input: expected number, received string; found "http"']);
  });

  it('lists the issues in the error message', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_GATEWAY__PORT: 'http' } }));

    expect(error.message).toBe('Invalid configuration:\n  - gateway.port: Invalid input: expected number, received string; found "http"');
  });

  it('rejects a port above 65535 naming the limit', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_SUBGRAPHS__LAKE__PORT: '70000' } }));

    expect(error.issues).toEqual(['subgraphs.lake.port: Too big: expected number to be <=65535; found 70000']);
  });

  it('rejects an unknown environment naming the allowed values', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_ENVIRONMENT: 'staging' } }));

    expect(error.issues).toEqual(['environment: Invalid option: expected one of "development"|"production"; found "staging"']);
  });

  it('rejects a default page size above the maximum', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { pagination: { defaultPageSize: 500, maxPageSize: 100 } } }));

    expect(error.issues).toEqual(['pagination.defaultPageSize: defaultPageSize 500 must not exceed maxPageSize 100; found 500']);
  });

  it('names the default page size it compared', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { pagination: { maxPageSize: 10 } } }));

    expect(error.issues).toEqual(['pagination.defaultPageSize: defaultPageSize 50 must not exceed maxPageSize 10']);
  });

  it('reports every invalid option at once', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_GATEWAY__PORT: '-1', MESHGATE_LOG__LEVEL: 'loud' } }));

    expect(error.issues).toHaveLength(2);
  });

  it('rejects an unknown nested key naming its dotted path', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_GATEWAY__PROT: '4001' } }));

    expect(error.issues).toEqual(['gateway.prot: unknown option; check the spelling against the documented options']);
  });

  it('rejects an unknown top-level key naming it', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_CACHE__TTL: '5' } }));

    expect(error.issues).toEqual(['cache: unknown option; check the spelling against the documented options']);
  });

  it('rejects an unknown subgraph naming it', () => {
    const error = configErrorOf(() => loadConfig({ env: { MESHGATE_SUBGRAPHS__SEARCH__PORT: '4105' } }));

    expect(error.issues).toEqual(['subgraphs.search: unknown option; check the spelling against the documented options']);
  });
});

describe('loadConfig errors never echo secrets', () => {
  const bigQuery = { kind: 'bigquery', projectId: 'p', dataset: 'd', apiEndpoint: 'http://127.0.0.1:9' };

  it('describes a key object pasted into keyFile by its kind', () => {
    const keyFile = { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nsecret' };
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { warehouse: { backend: { ...bigQuery, keyFile } } } as never }));

    expect(error.issues).toEqual(['warehouse.backend.keyFile: Invalid input: expected string, received object; found an object']);
  });

  it('hides a token pasted into a credential option', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { warehouse: { backend: { ...bigQuery, accessTokenEnv: 42, keyFile: 'ya29.secret' } } } as never }));

    expect(error.message).not.toContain('ya29.secret');
  });

  it('hides a long string such as malformed JSON from an environment variable', () => {
    const env = { MESHGATE_VECTOR__BACKEND: '{"kind": "weaviate", "url": "http://127.0.0.1:8080", "apiKey": "LEAKEDKEY",}' };
    const error = configErrorOf(() => loadConfig({ env }));

    expect(error.message).not.toContain('LEAKEDKEY');
    expect(error.issues[0]).toMatch(/^vector\.backend: .*; found a string of \d+ characters \(not shown\)$/);
  });

  it('names a missing required option', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { warehouse: { backend: { kind: 'bigquery', dataset: 'd', apiEndpoint: 'http://127.0.0.1:9', keyFile: '/k' } } } as never }));

    expect(error.issues).toEqual(['warehouse.backend.projectId: missing; this option is required (expected string)']);
  });
});

describe('loadConfig service addresses and secret names', () => {
  it('rejects a URL without a scheme', () => {
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { vector: { backend: { kind: 'elasticsearch', url: 'es.internal:9200' } } } as never }));

    expect(error.issues).toEqual(['vector.backend.url: expected an http:// or https:// URL; found "es.internal:9200"']);
  });

  it('rejects a token given in place of a variable name, without showing it', () => {
    const backend = { kind: 'bigquery', projectId: 'p', dataset: 'd', apiEndpoint: 'http://127.0.0.1:9', accessTokenEnv: 'ya29.secret-token' };
    const error = configErrorOf(() => loadConfig({ env: {}, overrides: { warehouse: { backend } } as never }));

    expect(error.issues).toEqual([
      'warehouse.backend.accessTokenEnv: expected the name of an environment variable (letters, digits and _), not its value; found a string of 17 characters (not shown)',
    ]);
  });
});

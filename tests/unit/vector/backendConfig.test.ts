import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigInput } from '../../../core/config/index.js';
import { readApiKey } from '../../../core/config/apiKey.js';

function loadVector(vector: Record<string, unknown>) {
  return loadConfig({ env: {}, overrides: { vector } as ConfigInput }).vector;
}

describe('vector.backend options', () => {
  it('fills Weaviate defaults', () => {
    expect(loadVector({ backend: { kind: 'weaviate', url: 'http://weaviate:8080' } }).backend).toEqual({ kind: 'weaviate', url: 'http://weaviate:8080', timeoutMs: 10_000, batchSize: 100 });
  });

  it('fills Elasticsearch defaults', () => {
    expect(loadVector({ backend: { kind: 'elasticsearch', url: 'http://es:9200' } }).backend).toEqual({
      kind: 'elasticsearch',
      url: 'http://es:9200',
      timeoutMs: 10_000,
      maxRetries: 3,
      batchSize: 500,
    });
  });

  it('rejects an inline apiKey without printing it', () => {
    expect.assertions(2);
    try {
      loadVector({ backend: { kind: 'elasticsearch', url: 'http://es:9200', apiKey: 'c2VjcmV0' } });
    } catch (error) {
      expect((error as Error).message).toContain('vector.backend.apiKey: unknown option');
      expect((error as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('rejects apiKeyEnv together with apiKeyFile', () => {
    expect(() => loadVector({ backend: { kind: 'weaviate', url: 'http://weaviate:8080', apiKeyEnv: 'KEY', apiKeyFile: '/run/key' } })).toThrow(
      'vector.backend.apiKeyFile: set apiKeyEnv or apiKeyFile, not both; found a string of 8 characters (not shown)',
    );
  });

  it('rejects a tenant name Weaviate does not accept', () => {
    expect(() => loadVector({ backend: { kind: 'weaviate', url: 'http://weaviate:8080', tenant: 'team "a"' } })).toThrow(
      'vector.backend.tenant: expected 1 to 64 letters, digits, "-" or "_"; found "team \\"a\\""',
    );
  });

  it('rejects an inline generation apiKey', () => {
    expect(() => loadVector({ generation: { url: 'http://vllm:8000', model: 'llama', apiKey: 'secret' } })).toThrow('vector.generation.apiKey: unknown option');
  });
});

describe('readApiKey', () => {
  const VARIABLE = 'MESHGATE_TEST_READ_API_KEY';
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'meshgate-api-key-'));
  });

  afterEach(() => {
    delete process.env[VARIABLE];
    rmSync(directory, { recursive: true, force: true });
  });

  it('returns undefined without a source', () => {
    expect(readApiKey({}, 'vector.backend')).toBeUndefined();
  });

  it('reads the environment variable, trimmed', () => {
    process.env[VARIABLE] = ' key-from-env \n';
    expect(readApiKey({ apiKeyEnv: VARIABLE }, 'vector.backend')).toBe('key-from-env');
  });

  it('reads the file, trimmed', () => {
    const file = path.join(directory, 'key');
    writeFileSync(file, 'key-from-file\n');
    expect(readApiKey({ apiKeyFile: file }, 'vector.backend')).toBe('key-from-file');
  });

  it('names the option of an empty variable', () => {
    process.env[VARIABLE] = '';
    expect(() => readApiKey({ apiKeyEnv: VARIABLE }, 'vector.generation')).toThrow(
      `vector.generation.apiKeyEnv: the environment variable ${VARIABLE} is not set or is empty; set it to the API key or remove vector.generation.apiKeyEnv`,
    );
  });

  it('names the option and the error code of a missing file', () => {
    const file = path.join(directory, 'missing');
    expect(() => readApiKey({ apiKeyFile: file }, 'vector.backend')).toThrow(`vector.backend.apiKeyFile: cannot read ${file}: ENOENT`);
  });
});

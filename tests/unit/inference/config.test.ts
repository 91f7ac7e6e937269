import { ConfigError, loadConfig, type ConfigInput } from '../../../core/config/index.js';

function issuesOf(overrides: ConfigInput): string[] {
  try {
    loadConfig({ env: {}, overrides });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('inference config defaults', () => {
  const { inference } = loadConfig({ env: {} });

  it('embeds and predicts in-process', () => {
    expect(inference.embeddings.backend).toBe('embedded');
    expect(inference.predictions.backend).toBe('onnxruntime');
  });

  it('limits embed to 256 texts of 10 000 characters', () => {
    expect(inference.embeddings.maxTexts).toBe(256);
    expect(inference.embeddings.maxTextLength).toBe(10_000);
  });

  const remote = loadConfig({
    env: {},
    overrides: { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000' } }, embeddings: { backend: 'openai', openai: { url: 'http://tei:80', model: 'bge' } } } },
  }).inference;

  it('fills the remote timeouts', () => {
    expect(remote.predictions.kserve?.timeoutMs).toBe(10_000);
    expect(remote.predictions.kserve?.totalTimeoutMs).toBe(30_000);
    expect(remote.embeddings.openai?.timeoutMs).toBe(30_000);
    expect(remote.embeddings.openai?.totalTimeoutMs).toBe(60_000);
  });

  it('retries twice from 200 ms up to 5 s', () => {
    for (const server of [remote.predictions.kserve, remote.embeddings.openai]) {
      expect(server?.maxRetries).toBe(2);
      expect(server?.retryBaseMs).toBe(200);
      expect(server?.retryMaxDelayMs).toBe(5000);
    }
  });

  it('waits 120 s, checking every 5 s', () => {
    expect(remote.predictions.kserve?.readyTimeoutMs).toBe(120_000);
    expect(remote.predictions.kserve?.readyPollMs).toBe(5000);
    expect(remote.predictions.kserve?.version).toBeUndefined();
  });

  it('batches 32 texts, no dimension check', () => {
    expect(remote.embeddings.openai?.maxBatch).toBe(32);
    expect(remote.embeddings.openai?.dimension).toBeUndefined();
  });
});

describe('inference config model version', () => {
  const kserveEnv = { MESHGATE_INFERENCE__PREDICTIONS__BACKEND: 'kserve', MESHGATE_INFERENCE__PREDICTIONS__KSERVE__URL: 'http://triton:8000' };

  it('reads a version string', () => {
    const { inference } = loadConfig({ env: { ...kserveEnv, MESHGATE_INFERENCE__PREDICTIONS__KSERVE__VERSION: 'v2-candidate' } });

    expect(inference.predictions.kserve?.version).toBe('v2-candidate');
  });

  it('reads a numeric variable as a version string', () => {
    const { inference } = loadConfig({ env: { ...kserveEnv, MESHGATE_INFERENCE__PREDICTIONS__KSERVE__VERSION: '2' } });

    expect(inference.predictions.kserve?.version).toBe('2');
  });

  it('rejects a version with a slash', () => {
    const [issue] = issuesOf({ inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', version: '1/infer' } } } });

    expect(issue.startsWith('inference.predictions.kserve.version: ')).toBe(true);
  });
});

describe('inference config refinements', () => {
  it('requires the KServe server for the kserve backend', () => {
    expect(issuesOf({ inference: { predictions: { backend: 'kserve' } } })).toEqual([
      'inference.predictions.kserve: set inference.predictions.kserve when inference.predictions.backend is kserve',
    ]);
  });

  it('requires the OpenAI server for the openai backend', () => {
    expect(issuesOf({ inference: { embeddings: { backend: 'openai' } } })).toEqual([
      'inference.embeddings.openai: set inference.embeddings.openai when inference.embeddings.backend is openai',
    ]);
  });

  it('rejects total below attempt timeout', () => {
    expect(issuesOf({ inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', timeoutMs: 1000, totalTimeoutMs: 500 } } } })).toEqual([
      'inference.predictions.kserve.totalTimeoutMs: totalTimeoutMs 500 must not be less than timeoutMs 1000; found 500',
    ]);
  });

  it('checks total against default timeout', () => {
    expect(issuesOf({ inference: { embeddings: { backend: 'openai', openai: { url: 'http://tei:80', model: 'bge', totalTimeoutMs: 1000 } } } })).toEqual([
      'inference.embeddings.openai.totalTimeoutMs: totalTimeoutMs 1000 must not be less than timeoutMs 30000; found 1000',
    ]);
  });
});

describe('inference config wrong values', () => {
  const cases: Array<[string, ConfigInput, string]> = [
    ['unknown backend', { inference: { predictions: { backend: 'triton' as 'kserve' } } }, 'inference.predictions.backend: '],
    ['zero maxTexts', { inference: { embeddings: { maxTexts: 0 } } }, 'inference.embeddings.maxTexts: '],
    ['invalid server URL', { inference: { embeddings: { backend: 'openai', openai: { url: 'not a url', model: 'bge' } } } }, 'inference.embeddings.openai.url: '],
    ['zero timeout', { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', timeoutMs: 0 } } } }, 'inference.predictions.kserve.timeoutMs: '],
    ['negative maxRetries', { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', maxRetries: -1 } } } }, 'inference.predictions.kserve.maxRetries: '],
    ['more than 10 retries', { inference: { embeddings: { backend: 'openai', openai: { url: 'http://tei:80', model: 'bge', maxRetries: 11 } } } }, 'inference.embeddings.openai.maxRetries: '],
    ['zero maxBatch', { inference: { embeddings: { backend: 'openai', openai: { url: 'http://tei:80', model: 'bge', maxBatch: 0 } } } }, 'inference.embeddings.openai.maxBatch: '],
    ['zero readyPollMs', { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', readyPollMs: 0 } } } }, 'inference.predictions.kserve.readyPollMs: '],
  ];

  it.each(cases)('names the dotted path of %s', (_, overrides, path) => {
    const issues = issuesOf(overrides);

    expect(issues).toHaveLength(1);
    expect(issues[0].startsWith(path)).toBe(true);
  });

  it('shows the value found', () => {
    const [issue] = issuesOf({ inference: { predictions: { backend: 'triton' as 'kserve' } } });

    expect(issue.endsWith('; found "triton"')).toBe(true);
  });

  it('names an unknown option', () => {
    expect(issuesOf({ inference: { predictions: { kserve: { url: 'http://triton:8000', grpc: true } as { url: string } } } })).toEqual([
      'inference.predictions.kserve.grpc: unknown option; check the spelling against the documented options',
    ]);
  });
});

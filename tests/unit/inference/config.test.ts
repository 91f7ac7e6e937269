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

  it('fills the remote timeouts', () => {
    const remote = loadConfig({
      env: {},
      overrides: { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000' } }, embeddings: { backend: 'openai', openai: { url: 'http://tei:80', model: 'bge' } } } },
    }).inference;

    expect(remote.predictions.kserve?.timeoutMs).toBe(10_000);
    expect(remote.embeddings.openai?.timeoutMs).toBe(30_000);
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
});

describe('inference config wrong values', () => {
  const cases: Array<[string, ConfigInput, string]> = [
    ['unknown backend', { inference: { predictions: { backend: 'triton' as 'kserve' } } }, 'inference.predictions.backend: '],
    ['zero maxTexts', { inference: { embeddings: { maxTexts: 0 } } }, 'inference.embeddings.maxTexts: '],
    ['invalid server URL', { inference: { embeddings: { backend: 'openai', openai: { url: 'not a url', model: 'bge' } } } }, 'inference.embeddings.openai.url: '],
    ['zero timeout', { inference: { predictions: { backend: 'kserve', kserve: { url: 'http://triton:8000', timeoutMs: 0 } } } }, 'inference.predictions.kserve.timeoutMs: '],
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

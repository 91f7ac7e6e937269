import { ErrorCode } from '../errorCode.js';

/** Errors of the word-vector embedding model: its source package and its binary cache. */
export const embeddingsErrors = {
  EMBEDDING_SOURCE_INVALID: new ErrorCode(
    'EMBEDDING_SOURCE_INVALID',
    'The word-vector package the embedding cache is built from is missing or not in the expected format; the message names the file.',
    500,
  ),
  EMBEDDING_CACHE_INVALID: new ErrorCode(
    'EMBEDDING_CACHE_INVALID',
    'The binary embedding cache is truncated, corrupt or of another format version; the message names the file. Rebuild it.',
    500,
  ),
} as const;

import { ErrorCode } from '../errorCode.js';

/** Errors of the embedded vector index: search requests and the persisted collection folder. */
export const vectorIndexErrors = {
  SEARCH_QUERY_MISSING: new ErrorCode(
    'SEARCH_QUERY_MISSING',
    'The search mode needs a query text (keyword, hybrid) or a query vector (vector, hybrid) that the request lacks.',
    400,
  ),
  VECTOR_DIMENSION_MISMATCH: new ErrorCode(
    'VECTOR_DIMENSION_MISMATCH',
    'A vector does not have the dimension of the collection; `extensions.expected` and `extensions.actual` give both.',
    400,
  ),
  VECTOR_INDEX_INVALID: new ErrorCode(
    'VECTOR_INDEX_INVALID',
    'The persisted collection folder is missing a file or holds one that does not match its manifest; the message names it.',
    500,
  ),
} as const;

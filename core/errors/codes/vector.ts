import { ErrorCode } from '../errorCode.js';

/** Errors of the vector subgraph: collections named in a request, search backends and answer generation. */
export const vectorErrors = {
  COLLECTION_NOT_FOUND: new ErrorCode(
    'COLLECTION_NOT_FOUND',
    'A collection named in `collections` is not declared by the vector subgraph; the message lists the declared ones.',
    400,
  ),
  SEARCH_BACKEND_FAILED: new ErrorCode(
    'SEARCH_BACKEND_FAILED',
    'The search backend (Weaviate or Elasticsearch) failed or returned an unexpected response; the message names the backend.',
  ),
  GENERATION_FAILED: new ErrorCode(
    'GENERATION_FAILED',
    'The chat-completions server configured under `vector.generation` failed, timed out or returned no answer.',
  ),
} as const;

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
  SEARCH_PARTIAL_RESULTS: new ErrorCode(
    'SEARCH_PARTIAL_RESULTS',
    'The search backend returned hits but reported a failure next to them, such as failed shards, a search timeout or GraphQL errors, ' +
      'so results may be missing; the field keeps the hits it got, and `extensions.collection` names the collection.',
  ),
  GENERATION_FAILED: new ErrorCode(
    'GENERATION_FAILED',
    'The chat-completions server configured under `vector.generation` failed, timed out or returned no answer.',
  ),
} as const;

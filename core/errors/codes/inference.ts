import { ErrorCode } from '../errorCode.js';

/**
 * Errors of the inference subgraph: served models, their inputs and remote model servers. A
 * remote failure has one code per cause, so a client can tell a transient one (timeout,
 * unreachable, HTTP 429 or 503) from one that a retry will not fix.
 */
export const inferenceErrors = {
  MODEL_NOT_FOUND: new ErrorCode(
    'MODEL_NOT_FOUND',
    'No served model has the requested name; `extensions.available` lists the served models.',
  ),
  INVALID_MODEL_INPUT: new ErrorCode(
    'INVALID_MODEL_INPUT',
    'The input tensor does not have the shape the model expects, or has too many rows; `extensions.expected` and `extensions.found` carry both.',
  ),
  INVALID_EMBEDDING_INPUT: new ErrorCode(
    'INVALID_EMBEDDING_INPUT',
    'The texts to embed are an empty list, more texts than the maximum, or a text longer than the maximum; `extensions.maximum` is the limit.',
  ),
  MODEL_SERVER_TIMEOUT: new ErrorCode(
    'MODEL_SERVER_TIMEOUT',
    'A remote model server (KServe v2, Triton or OpenAI-compatible) did not respond within the configured timeout, retries included.',
    504,
  ),
  MODEL_SERVER_UNREACHABLE: new ErrorCode(
    'MODEL_SERVER_UNREACHABLE',
    'A remote model server could not be reached, or closed the connection before responding, on every attempt.',
    502,
  ),
  MODEL_SERVER_ERROR: new ErrorCode(
    'MODEL_SERVER_ERROR',
    "A remote model server responded with an HTTP error status; `extensions.status` is the status and the message ends with the server's error message.",
    502,
  ),
  MODEL_SERVER_MALFORMED_RESPONSE: new ErrorCode(
    'MODEL_SERVER_MALFORMED_RESPONSE',
    'A remote model server sent a response that is not JSON or lacks what its protocol requires; the message names what is wrong.',
    502,
  ),
  EMBEDDING_DIMENSION_MISMATCH: new ErrorCode(
    'EMBEDDING_DIMENSION_MISMATCH',
    'The embedding server returned vectors of another length than the configured dimension; `extensions.expected` and `extensions.found` carry both.',
    502,
  ),
} as const;

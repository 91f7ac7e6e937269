import { ErrorCode } from '../errorCode.js';

/** Errors of the inference subgraph: served models, their inputs and remote model servers. */
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
  MODEL_SERVER_FAILED: new ErrorCode(
    'MODEL_SERVER_FAILED',
    'A remote model server (KServe v2, Triton or OpenAI-compatible) failed, timed out or sent a malformed response; details are in the subgraph log.',
    502,
  ),
} as const;

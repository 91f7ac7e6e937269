import type { ErrorCode } from './errorCode.js';
import { dataErrors } from './codes/data.js';
import { requestErrors } from './codes/request.js';
import { embeddingsErrors } from './codes/embeddings.js';
import { vectorIndexErrors } from './codes/vectorIndex.js';
import { vectorErrors } from './codes/vector.js';
import { costErrors } from './codes/cost.js';
import { authErrors } from './codes/auth.js';
import { maskingErrors } from './codes/masking.js';
import { inferenceErrors } from './codes/inference.js';

export { ErrorCode, type ErrorCodeDefinition } from './errorCode.js';

/**
 * The registry of every public error code, by concern. A code is defined once, in the file of its
 * concern under `codes/`, and every client-facing error is made by its factory.
 */
export const errors = {
  ...requestErrors,
  ...dataErrors,
  ...embeddingsErrors,
  ...vectorIndexErrors,
  ...vectorErrors,
  ...costErrors,
  ...authErrors,
  ...maskingErrors,
  ...inferenceErrors,
} as const;

export type ErrorCodeName = keyof typeof errors;

/** Lists the registered codes, in registry order, for generated documentation and tests. */
export function listErrorCodes(): ErrorCode[] {
  return Object.values(errors);
}

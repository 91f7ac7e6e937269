import { ErrorCode } from '../errorCode.js';

/** Errors of authentication: the caller's bearer token, and the keys that verify it. */
export const authErrors = {
  UNAUTHENTICATED: new ErrorCode(
    'UNAUTHENTICATED',
    'The Authorization header or its bearer token is invalid; `extensions.check` names the check that failed.',
    401,
  ),
  AUTH_KEYS_UNAVAILABLE: new ErrorCode(
    'AUTH_KEYS_UNAVAILABLE',
    'The JSON Web Key Set that verifies tokens could not be fetched; the request is rejected rather than let through.',
    503,
  ),
} as const;

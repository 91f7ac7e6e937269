import { ErrorCode } from '../errorCode.js';

/** Errors of a request as a whole, before or outside of any data product. */
export const requestErrors = {
  GRAPHQL_PARSE_FAILED: new ErrorCode('GRAPHQL_PARSE_FAILED', 'The operation is not valid GraphQL syntax.', 400),
  GRAPHQL_VALIDATION_FAILED: new ErrorCode(
    'GRAPHQL_VALIDATION_FAILED',
    'The operation does not validate against the schema: an unknown field, or an argument of the wrong type.',
    400,
  ),
  BAD_REQUEST: new ErrorCode('BAD_REQUEST', 'The HTTP request is malformed, for example a body that is not valid JSON.', 400),
  PAYLOAD_TOO_LARGE: new ErrorCode('PAYLOAD_TOO_LARGE', 'The request body is larger than the configured maximum.', 413),
  NOT_FOUND: new ErrorCode('NOT_FOUND', 'No route at this path; the GraphQL endpoint is /graphql.', 404),
  BAD_USER_INPUT: new ErrorCode('BAD_USER_INPUT', 'An argument or variable value is invalid.', 400),
  INTERNAL_SERVER_ERROR: new ErrorCode(
    'INTERNAL_SERVER_ERROR',
    'An unexpected error; its details are in the server log under the request id, never in the response.',
    500,
  ),
} as const;

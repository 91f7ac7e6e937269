import { ErrorCode } from '../errorCode.js';

/**
 * Errors of demand control and operation limits. The cost codes are the ones Apollo Router's
 * demand control returns, so clients written against it read meshgate's rejections unchanged.
 */
export const costErrors = {
  COST_QUERY_PARSE_FAILURE: new ErrorCode(
    'COST_QUERY_PARSE_FAILURE',
    'The cost of the operation cannot be computed, for example a `@listSize` field without exactly one slicing argument; the operation is rejected.',
    400,
  ),
  COST_ESTIMATED_TOO_EXPENSIVE: new ErrorCode(
    'COST_ESTIMATED_TOO_EXPENSIVE',
    'The estimated cost of the operation is above the maximum; `extensions.estimated` and `extensions.maximum` carry both.',
    400,
  ),
  SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE: new ErrorCode(
    'SUBGRAPH_COST_ESTIMATED_TOO_EXPENSIVE',
    'The estimated cost of the fetches to one subgraph is above that subgraph\'s maximum; `extensions.subgraph`, `extensions.estimated` and `extensions.maximum` carry the details.',
    400,
  ),
  THROTTLED: new ErrorCode(
    'THROTTLED',
    'The caller\'s cost budget is spent; `extensions.retryAfterSeconds` says when enough of it is restored.',
    429,
  ),
  MAX_DEPTH_EXCEEDED: new ErrorCode(
    'MAX_DEPTH_EXCEEDED',
    'The operation nests fields deeper than the limit; `extensions.limit` and `extensions.found` carry both.',
    400,
  ),
  MAX_ALIASES_EXCEEDED: new ErrorCode(
    'MAX_ALIASES_EXCEEDED',
    'The operation uses more aliases than the limit; `extensions.limit` and `extensions.found` carry both.',
    400,
  ),
  MAX_ROOT_FIELDS_EXCEEDED: new ErrorCode(
    'MAX_ROOT_FIELDS_EXCEEDED',
    'The operation selects more root fields than the limit; `extensions.limit` and `extensions.found` carry both.',
    400,
  ),
  MAX_TOKENS_EXCEEDED: new ErrorCode(
    'MAX_TOKENS_EXCEEDED',
    'The operation document has more lexical tokens than the limit; `extensions.limit` and `extensions.found` carry both.',
    400,
  ),
  MAX_DOCUMENT_SIZE_EXCEEDED: new ErrorCode(
    'MAX_DOCUMENT_SIZE_EXCEEDED',
    'The operation document is larger than the limit, in bytes; `extensions.limit` and `extensions.found` carry both.',
    400,
  ),
} as const;

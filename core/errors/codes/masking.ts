import { ErrorCode } from '../errorCode.js';

/** Errors of field masking and field-level authorization. */
export const maskingErrors = {
  FORBIDDEN: new ErrorCode(
    'FORBIDDEN',
    'The caller is not permitted to read a `@restricted` field; the field is null and `extensions.coordinate` names it.',
    403,
  ),
  MASKED_FIELD_ARGUMENT: new ErrorCode(
    'MASKED_FIELD_ARGUMENT',
    'An argument filters, orders or groups by a masked field, or the selection aggregates one, and the caller may not unmask it; `extensions.coordinate` names the field. 403 because the operation is valid but not permitted for this caller.',
    403,
  ),
  MASK_CONFIG_INVALID: new ErrorCode(
    'MASK_CONFIG_INVALID',
    'The governance directives of the supergraph or the masking options are invalid; raised at startup, never to a client.',
    500,
  ),
} as const;

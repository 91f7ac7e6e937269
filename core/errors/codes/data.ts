import { ErrorCode } from '../errorCode.js';

/** Errors of the data-product engine: pagination, filters and backend reads. */
export const dataErrors = {
  PAGE_SIZE_TOO_LARGE: new ErrorCode(
    'PAGE_SIZE_TOO_LARGE',
    '`first` is above the maximum page size of the data product; `extensions.maximum` is that maximum.',
  ),
  INVALID_PAGE_SIZE: new ErrorCode('INVALID_PAGE_SIZE', '`first` is negative.'),
  INVALID_CURSOR: new ErrorCode(
    'INVALID_CURSOR',
    'The `after` cursor was not issued by this field, or was issued for another `orderBy`.',
  ),
  INVALID_FILTER: new ErrorCode('INVALID_FILTER', 'A `where` filter value cannot be compared with its field.'),
  INVALID_VALUE: new ErrorCode(
    'INVALID_VALUE',
    'A scalar value is malformed, for example a `DateTime` that is not ISO 8601 or a `BigInt` that is not an integer.',
  ),
  VALUE_OUT_OF_RANGE: new ErrorCode(
    'VALUE_OUT_OF_RANGE',
    'A stored value does not fit its GraphQL type (for example an `Int` above 2^31-1); it is never rounded.',
  ),
  DATASET_READ_FAILED: new ErrorCode(
    'DATASET_READ_FAILED',
    'A dataset file holds a value that does not fit its pinned schema; the message names the file, line and column.',
  ),
  BACKEND_QUERY_FAILED: new ErrorCode(
    'BACKEND_QUERY_FAILED',
    'The backend of a data product failed to run a query; details are in the subgraph log.',
  ),
} as const;

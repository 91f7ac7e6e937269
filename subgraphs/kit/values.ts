import { errors } from '../../core/errors/index.js';
import type { ColumnScalar } from './model.js';
import { parseBigInt, parseDate, parseDateTime, parseDecimal, parseJsonText, parseLocalDateTime } from './scalars.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Converts a value of the backends' row form to the field's GraphQL scalar, without loss: an integer
 * that does not fit `Int` is an error naming the coordinate, never a rounded number.
 *
 * @throws VALUE_OUT_OF_RANGE when an `Int` field contains a value outside 32-bit signed range.
 */
export function toGraphQLValue(value: unknown, scalar: ColumnScalar, coordinate: string): unknown {
  if (value === null || value === undefined) return null;
  switch (scalar) {
    case 'Int':
      return toInt(value, coordinate);
    case 'Float':
      return Number(value);
    case 'BigInt':
      return parseBigInt(value);
    case 'Decimal':
      return parseDecimal(value);
    case 'Date':
      return parseDate(value);
    case 'DateTime':
      return parseDateTime(value);
    case 'LocalDateTime':
      return parseLocalDateTime(value);
    case 'JSON':
      return parseJsonText(value);
    case 'Boolean':
      return Boolean(value);
    case 'String':
    case 'ID':
      return String(value);
  }
}

/** Converts a count or integer to `Int`, rejecting values GraphQL's Int cannot carry. */
export function toInt(value: unknown, coordinate: string): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number) || number < INT_MIN || number > INT_MAX) {
    throw errors.VALUE_OUT_OF_RANGE.error(`${coordinate} contains ${String(value)}, which does not fit GraphQL Int (32-bit signed); declare the field BigInt.`, {
      coordinate,
    });
  }
  return number;
}

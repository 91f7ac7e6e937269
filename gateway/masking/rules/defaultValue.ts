import type { FieldType, ValueKind } from '../types.js';

/**
 * The zero of each kind, as BigQuery's default masking values define them for the matching SQL type:
 * STRING `""`, INT64 `0`, FLOAT64 `0.0`, BOOL `false`, NUMERIC and BIGNUMERIC `0` (a string here,
 * because the mesh carries exact numbers as strings), DATE `1970-01-01`, TIMESTAMP
 * `1970-01-01T00:00:00Z` and DATETIME `1970-01-01T00:00:00`.
 */
export const DEFAULT_VALUES: Partial<Record<ValueKind, string | number | boolean>> = {
  string: '',
  int: 0,
  float: 0.0,
  boolean: false,
  decimalString: '0',
  date: '1970-01-01',
  dateTime: '1970-01-01T00:00:00Z',
  localDateTime: '1970-01-01T00:00:00',
};

/**
 * `DEFAULT_VALUE`: the zero of the field's type (see `DEFAULT_VALUES`); `[]` for a list field, as
 * BigQuery returns `[]` for an ARRAY.
 *
 * @throws Error when the kind has no zero; the catalog rejects such fields at startup.
 */
export function maskDefaultValue(fieldType: FieldType): unknown {
  if (fieldType.item !== undefined) {
    return [];
  }
  const zero = DEFAULT_VALUES[fieldType.kind];
  if (zero === undefined) {
    throw new Error(`Mask rule DEFAULT_VALUE has no default value for type ${fieldType.namedType}.`);
  }
  return zero;
}

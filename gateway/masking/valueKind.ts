import type { ValueKind } from './types.js';

/**
 * The kind of each scalar of the mesh. `BigInt` and `Decimal` travel as strings so that they are
 * exact; `DateTime` is ISO 8601 with `Z` or an offset, `LocalDateTime` has no zone.
 */
export const DEFAULT_SCALAR_KINDS: Readonly<Record<string, ValueKind>> = {
  String: 'string',
  ID: 'string',
  Int: 'int',
  Float: 'float',
  Boolean: 'boolean',
  BigInt: 'decimalString',
  Decimal: 'decimalString',
  Date: 'date',
  DateTime: 'dateTime',
  LocalDateTime: 'localDateTime',
};

/** Category of a named type in the SDL, as far as masking needs it. */
export type NamedTypeCategory = 'scalar' | 'enum' | 'composite';

/** Returns the kind of a named type; a scalar missing from `scalarKinds` is `unknownScalar`. */
export function valueKindOf(
  typeName: string,
  category: NamedTypeCategory | undefined,
  scalarKinds: Readonly<Record<string, ValueKind>>,
): ValueKind {
  const known = scalarKinds[typeName];
  if (known !== undefined) {
    return known;
  }
  if (category === 'enum') {
    return 'enum';
  }
  return category === 'composite' ? 'composite' : 'unknownScalar';
}

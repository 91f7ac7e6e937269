import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

import { governingCoordinates } from './governingCoordinates.js';

/**
 * Maps what an operation filters, orders, groups or aggregates by to the schema coordinates of the
 * fields behind it. Each method returns the coordinates, or `[]` when the name maps to no field.
 */
export interface ArgumentCoordinateResolver {
  /** A field of an input object type, for example `FlightFilter.delay` or `FlightOrderBy.delay`. */
  inputField(inputTypeName: string, fieldName: string): string[];
  /** A value of an enum type, for example `FlightGroupField.origin`. */
  enumValue(enumTypeName: string, valueName: string): string[];
  /** A selected field of an output type, for example `FlightAggregateNumbers.cost`. */
  selectionField(parentTypeName: string, fieldName: string): string[];
}

/**
 * The naming convention of the data-product engine's generated API, as type-name patterns whose first
 * group is the data product's type `<T>`:
 * - input objects `<T>Filter` (the `where:` argument) and `<T>OrderBy` (the `orderBy:` argument):
 *   each input field names a field of `<T>`; `and`, `or` and `not` name none, so they map to nothing;
 * - enums `<T>GroupField` (`groupBy:`) and `<T>OrderField`: each value names a field of `<T>`;
 * - output types `<T>Aggregate…` (for example `<T>AggregateNumbers` under `sum`, `min`, `max`, `avg`)
 *   and `<T>GroupKey` (the `key` of a group): each selected field names a field of `<T>`.
 */
export interface ArgumentNamingConvention {
  inputTypes: RegExp;
  enumTypes: RegExp;
  outputTypes: RegExp;
}

export const DEFAULT_NAMING_CONVENTION: ArgumentNamingConvention = {
  inputTypes: /^(.+?)(?:Filter|OrderBy)$/,
  enumTypes: /^(.+?)(?:GroupField|OrderField)$/,
  outputTypes: /^(.+?)(?:Aggregate\w*|GroupKey)$/,
};

/**
 * Creates the resolver of a naming convention over a schema. A name maps to `<T>.<name>` only when the
 * schema has an object or interface type `<T>` with that field; when `<T>` is an interface, every
 * implementation's coordinate is included too, so a mask on one implementation is found.
 */
export function createConventionResolver(
  schema: GraphQLSchema,
  convention: ArgumentNamingConvention = DEFAULT_NAMING_CONVENTION,
): ArgumentCoordinateResolver {
  const coordinatesOf = (pattern: RegExp, typeName: string, fieldName: string): string[] => {
    const baseName = pattern.exec(typeName)?.[1];
    return baseName === undefined ? [] : fieldCoordinates(schema, baseName, fieldName);
  };
  return {
    inputField: (typeName, fieldName) => coordinatesOf(convention.inputTypes, typeName, fieldName),
    enumValue: (typeName, valueName) => coordinatesOf(convention.enumTypes, typeName, valueName),
    selectionField: (typeName, fieldName) => coordinatesOf(convention.outputTypes, typeName, fieldName),
  };
}

function fieldCoordinates(schema: GraphQLSchema, typeName: string, fieldName: string): string[] {
  const type = schema.getType(typeName);
  if (isObjectType(type) && type.getFields()[fieldName] !== undefined) {
    return governingCoordinates(type, fieldName);
  }
  if (!isInterfaceType(type) || type.getFields()[fieldName] === undefined) {
    return [];
  }
  const implementations = schema.getPossibleTypes(type).flatMap((object) => governingCoordinates(object, fieldName));
  return [...new Set([`${type.name}.${fieldName}`, ...implementations])];
}

import type { GraphQLObjectType } from 'graphql';

/**
 * Lists the schema coordinates whose governance applies to a field of a concrete object type: the
 * type's own coordinate first, then that of every interface it implements that declares the field.
 * A mask on an interface field thus covers every implementation, and a mask on one implementation
 * covers only that one.
 */
export function governingCoordinates(type: GraphQLObjectType, fieldName: string): string[] {
  const coordinates = [`${type.name}.${fieldName}`];
  for (const implemented of type.getInterfaces()) {
    if (implemented.getFields()[fieldName] !== undefined) {
      coordinates.push(`${implemented.name}.${fieldName}`);
    }
  }
  return coordinates;
}

import { isScalarType, type GraphQLSchema } from 'graphql';
import { scalarResolvers } from '../subgraphs/kit/scalars.js';

/**
 * Gives the gateway's API schema the input parsing of the mesh's own scalars. Apollo Gateway builds
 * custom scalars from the supergraph SDL, which carries no parsing, so a malformed `LocalDateTime`
 * would pass the gateway and fail in a subgraph, where its error reaches the client as an internal
 * one. With the parsers in place the gateway rejects it at validation, with the scalar's message
 * and HTTP 400. Output values pass through unchanged: the subgraphs already serialised them.
 */
export function installScalarParsers(schema: GraphQLSchema): GraphQLSchema {
  for (const [name, definition] of Object.entries(scalarResolvers)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = definition.parseValue;
    type.parseLiteral = definition.parseLiteral;
  }
  return schema;
}

import { Supergraph } from '@apollo/federation-internals';
import { createConventionResolver, type ArgumentCoordinateResolver, type ArgumentNamingConvention } from '../masking/index.js';
import { generatedNames } from '../../subgraphs/kit/naming.js';

const suffix = (name: (type: string) => string): string => escapeRegExp(name(''));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function anyOf(names: ReadonlyArray<(type: string) => string>): RegExp {
  return new RegExp(`^(.+?)(?:${names.map(suffix).join('|')})$`);
}

/**
 * The names the data-product engine generates for a mapped type `T`, as the masking plugin's naming
 * convention: filter and order inputs, group-by enums, and the group key and the sum, average,
 * minimum and maximum types of aggregates. Built from the engine's own `generatedNames`, so that a
 * renamed type cannot let an aggregate of a masked field through unchecked.
 */
export const ENGINE_NAMING_CONVENTION: ArgumentNamingConvention = {
  inputTypes: anyOf([generatedNames.filter, generatedNames.orderBy]),
  enumTypes: anyOf([generatedNames.groupField]),
  outputTypes: anyOf([generatedNames.groupKey, generatedNames.sums, generatedNames.averages, generatedNames.minimums, generatedNames.maximums]),
};

/**
 * Creates the argument resolver of the engine's naming convention over the API schema of a supergraph,
 * the schema that clients query.
 */
export function engineArgumentResolver(supergraphSdl: string): ArgumentCoordinateResolver {
  const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return createConventionResolver(apiSchema, ENGINE_NAMING_CONVENTION);
}

import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type FieldNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
} from 'graphql';

/**
 * Tells whether `@skip(if: true)` or `@include(if: false)` removes a selection, with the
 * operation's coerced variables. A removed selection is never resolved, so it costs nothing.
 */
export function isExcluded(
  node: FieldNode | FragmentSpreadNode | InlineFragmentNode,
  variables: Readonly<Record<string, unknown>>,
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return true;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false;
}

import {
  GraphQLError,
  getNamedType,
  isAbstractType,
  isObjectType,
  type GraphQLObjectType,
  type SelectionNode,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import { collectFields, subSelections } from './collectFields.js';
import { fieldVerdict } from './fieldGovernance.js';
import type { MaskingWalk } from './maskResult.js';

/**
 * Replaces every execution error whose path runs through a masked or denied field with an
 * `INTERNAL_SERVER_ERROR` that keeps the path but not the message or extensions, because a resolver or
 * serialization error can quote the raw value (graphql-js writes `Int cannot represent non-integer
 * value: …`). The path is matched against every runtime type the field could have, so an ambiguous
 * path is scrubbed.
 */
export function scrubErrors(
  walk: MaskingWalk,
  rootType: GraphQLObjectType,
  selections: readonly SelectionNode[],
  executionErrors: readonly GraphQLError[],
): GraphQLError[] {
  return executionErrors.map((error) => {
    const coordinate = error.path === undefined ? undefined : hiddenCoordinateOnPath(walk, [rootType], selections, error.path);
    if (coordinate === undefined) {
      return error;
    }
    walk.logger.warn({ coordinate, path: error.path?.join('.') }, 'error of a masked field withheld');
    const withheld = errors.INTERNAL_SERVER_ERROR.error(
      `Field ${coordinate} failed; its error message is withheld because the field is masked.`,
    );
    return new GraphQLError(withheld.message, { path: error.path, nodes: error.nodes, extensions: withheld.extensions });
  });
}

function hiddenCoordinateOnPath(
  walk: MaskingWalk,
  types: readonly GraphQLObjectType[],
  selections: readonly SelectionNode[],
  path: ReadonlyArray<string | number>,
): string | undefined {
  const [segment, ...rest] = path;
  if (segment === undefined) {
    return undefined;
  }
  if (typeof segment === 'number') {
    return hiddenCoordinateOnPath(walk, types, selections, rest);
  }

  for (const type of types) {
    const nodes = collectFields(walk.schema, walk.fragments, type, selections).get(segment);
    const field = nodes === undefined ? undefined : type.getFields()[nodes[0].name.value];
    if (nodes === undefined || field === undefined) {
      continue;
    }
    const verdict = fieldVerdict(walk.catalog, walk.decisions, type, field.name);
    if (verdict.kind !== 'raw') {
      return verdict.kind === 'denied' ? verdict.coordinate : verdict.entry.coordinate;
    }
    const hidden = hiddenCoordinateOnPath(walk, possibleObjectTypes(walk, field.type), subSelections(nodes), rest);
    if (hidden !== undefined) {
      return hidden;
    }
  }
  return undefined;
}

function possibleObjectTypes(walk: MaskingWalk, type: Parameters<typeof getNamedType>[0]): readonly GraphQLObjectType[] {
  const named = getNamedType(type);
  if (isObjectType(named)) {
    return [named];
  }
  return isAbstractType(named) ? walk.schema.getPossibleTypes(named) : [];
}

import type { GraphQLObjectType } from 'graphql';

import type { OperationDecisions } from './decisions.js';
import { governingCoordinates } from './governingCoordinates.js';
import type { MaskCatalog, MaskCatalogEntry } from './types.js';

/** Outcome for one field of a runtime type: denied (null), a masked value, or the raw value. */
export type FieldVerdict =
  | { readonly kind: 'denied'; readonly coordinate: string }
  | { readonly kind: 'masked'; readonly entry: MaskCatalogEntry }
  | { readonly kind: 'raw' };

const RAW: FieldVerdict = { kind: 'raw' };

/**
 * Decides what the caller sees of a field of a concrete type. Every governing coordinate counts (the
 * type's own, then its interfaces'): a `@restricted` one without a `read` permit denies the field;
 * otherwise the first `@mask` without an `unmask` permit masks it with its rule.
 */
export function fieldVerdict(
  catalog: MaskCatalog,
  decisions: OperationDecisions,
  type: GraphQLObjectType,
  fieldName: string,
): FieldVerdict {
  const entries = governingCoordinates(type, fieldName).flatMap((coordinate) => {
    const entry = catalog.get(coordinate);
    return entry === undefined ? [] : [entry];
  });

  const denied = entries.find((entry) => entry.restricted && !decisions.allows('read', entry.coordinate));
  if (denied !== undefined) {
    return { kind: 'denied', coordinate: denied.coordinate };
  }
  const masked = entries.find((entry) => entry.rule !== undefined && !decisions.allows('unmask', entry.coordinate));
  return masked === undefined ? RAW : { kind: 'masked', entry: masked };
}

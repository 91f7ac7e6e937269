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
  return verdictOf(governingEntries(catalog, type, fieldName), decisions);
}

/** Lists the catalog entries of a field's governing coordinates, the type's own first. */
export function governingEntries(catalog: MaskCatalog, type: GraphQLObjectType, fieldName: string): MaskCatalogEntry[] {
  return governingCoordinates(type, fieldName).flatMap((coordinate) => {
    const entry = catalog.get(coordinate);
    return entry === undefined ? [] : [entry];
  });
}

/** Decides what the caller sees of a field from the entries `governingEntries` lists for it, as `fieldVerdict` does. */
export function verdictOf(entries: readonly MaskCatalogEntry[], decisions: OperationDecisions): FieldVerdict {
  const denied = entries.find((entry) => entry.restricted && !decisions.allows('read', entry.coordinate));
  if (denied !== undefined) {
    return { kind: 'denied', coordinate: denied.coordinate };
  }
  const masked = entries.find((entry) => entry.rule !== undefined && !decisions.allows('unmask', entry.coordinate));
  return masked === undefined ? RAW : { kind: 'masked', entry: masked };
}

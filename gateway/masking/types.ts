import type { MaskRule } from './maskRule.js';

/** A field of the supergraph as the policy sees it: its schema coordinate, classification tags and subgraph. */
export interface FieldResource {
  coordinate: string;
  typeName: string;
  fieldName: string;
  tags: string[];
  /** The subgraph that resolves the field; absent when several subgraphs can resolve it. */
  subgraph?: string;
}

/** The caller; an unauthenticated caller has the id `anonymous`. */
export interface Principal {
  id: string;
  attributes: Record<string, unknown>;
}

/**
 * What a principal does with a field: `read` it at all, see it `unmask`ed, or `filter` by it
 * (filter, order, group by or aggregate a masked field).
 */
export type Action = 'read' | 'unmask' | 'filter';

/** The policy decision point; `version` changes whenever the policies do. */
export interface Decider {
  decide(principal: Principal, action: Action, resource: FieldResource): boolean | Promise<boolean>;
  version: string;
}

/**
 * How a masking rule treats a named type: which rules apply to it and what its zero is.
 * `decimalString` is an exact number travelling as a string (`BigInt`, `Decimal`).
 */
export type ValueKind =
  | 'string'
  | 'int'
  | 'float'
  | 'boolean'
  | 'decimalString'
  | 'date'
  | 'dateTime'
  | 'localDateTime'
  | 'enum'
  | 'composite'
  | 'unknownScalar';

/** The GraphQL type of a field: its named type and kind, whether it is non-null, and its item type if it is a list. */
export interface FieldType {
  readonly namedType: string;
  readonly kind: ValueKind;
  readonly nonNull: boolean;
  /** Present when the field is a list; describes each item. */
  readonly item?: FieldType;
}

/** What the supergraph declares about one governed field. */
export interface MaskCatalogEntry {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /** The mask rule, when the field carries `@mask`. */
  readonly rule?: MaskRule;
  /** True when the field carries `@restricted`, so reading it at all needs a `read` permit. */
  readonly restricted: boolean;
  readonly tags: readonly string[];
  /** Names of the subgraphs that resolve the field, from `@join__field` or `@join__type`. */
  readonly subgraphs: readonly string[];
  readonly type: FieldType;
}

/** Every governed field of a supergraph, by schema coordinate (`Type.field`). */
export type MaskCatalog = ReadonlyMap<string, MaskCatalogEntry>;

/** Options of the rules that need more than the value. */
export interface MaskRuleOptions {
  /** The HMAC key of `KEYED_SHA256`; required when any field uses that rule. */
  hmacSecret?: string;
}

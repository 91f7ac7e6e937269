import type { MaskRule } from './maskRule.js';

/**
 * The policy interface masking decides with: the caller, the action, the field as a resource, and the
 * decision point. The policy module defines it; masking only consumes it.
 */
export type { Action, Decider, FieldResource, Principal } from '../policy/types.js';

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

/** Declarations of the supergraph about one governed field. */
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

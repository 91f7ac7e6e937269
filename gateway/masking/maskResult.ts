import {
  GraphQLError,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import { applyMaskRule } from './applyMaskRule.js';
import type { OperationDecisions } from './decisions.js';
import { verdictOf, type FieldVerdict } from './fieldGovernance.js';
import type { PlannedField, SelectionPlan } from './selectionPlan.js';
import { TYPENAME_ALIAS } from './typenameField.js';
import type { MaskCatalog, MaskCatalogEntry, MaskRuleOptions } from './types.js';

/**
 * Maximum number of `FORBIDDEN` errors in one response. Without it, a denied field in a long list would
 * add one error per item. Past this number the fields are still null, without an error each.
 */
export const MAX_FORBIDDEN_ERRORS = 100;

/** A response path as a linked list, so that the walk builds an array only for an error or a log line. */
interface ResponsePath {
  readonly prev: ResponsePath | undefined;
  readonly key: string | number;
}

/** Inputs, per-operation memos and collected errors of the result walk of one operation. */
export interface MaskingWalk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly catalog: MaskCatalog;
  readonly decisions: OperationDecisions;
  readonly ruleOptions: MaskRuleOptions;
  readonly logger: Logger;
  /** `FORBIDDEN` errors of denied fields, added by the walk. */
  readonly forbidden: GraphQLError[];
  /** Verdict of each planned field under this operation's decisions, decided on first use. */
  readonly verdicts: Map<PlannedField, FieldVerdict>;
  /** Masked output of each distinct scalar value per catalog entry, so a repeated value is hashed once. */
  readonly maskedValues: Map<MaskCatalogEntry, Map<unknown, unknown>>;
}

/**
 * Returns a masked copy of an operation's `data`: each field is looked up by its runtime type, then
 * denied fields become null (with a `FORBIDDEN` error at their path), masked fields carry their rule's
 * output, and raw fields are walked into. The `__typename` added under `TYPENAME_ALIAS` is removed.
 */
export function maskData(
  walk: MaskingWalk,
  rootType: GraphQLObjectType,
  plan: SelectionPlan,
  data: Record<string, unknown>,
): Record<string, unknown> {
  return maskObject(walk, rootType, plan, data, undefined);
}

function maskObject(
  walk: MaskingWalk,
  type: GraphQLObjectType,
  plan: SelectionPlan,
  value: Record<string, unknown>,
  path: ResponsePath | undefined,
): Record<string, unknown> {
  const masked = copyWithoutTypename(value);
  for (const field of plan.fieldsOf(type)) {
    const key = field.responseKey;
    if (key in masked) {
      masked[key] = maskField(walk, field, masked[key], path);
    }
  }
  return masked;
}

function copyWithoutTypename(value: Record<string, unknown>): Record<string, unknown> {
  if (!(TYPENAME_ALIAS in value)) {
    return { ...value };
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key !== TYPENAME_ALIAS) {
      copy[key] = value[key];
    }
  }
  return copy;
}

function maskField(walk: MaskingWalk, field: PlannedField, value: unknown, parent: ResponsePath | undefined): unknown {
  const verdict = verdictFor(walk, field);
  if (verdict.kind === 'denied') {
    reportForbidden(walk, verdict.coordinate, { prev: parent, key: field.responseKey });
    return null;
  }
  if (verdict.kind === 'masked') {
    return maskedValueOf(walk, verdict.entry, value);
  }
  return maskValue(walk, field.fieldType, field.selection, value, parent, field.responseKey);
}

function verdictFor(walk: MaskingWalk, field: PlannedField): FieldVerdict {
  let verdict = walk.verdicts.get(field);
  if (verdict === undefined) {
    verdict = verdictOf(field.governing, walk.decisions);
    walk.verdicts.set(field, verdict);
  }
  return verdict;
}

/**
 * Applies an entry's rule once per distinct scalar value within the operation. Objects and lists are
 * masked each time, so that no two places in the result share one masked object. `-0` is left out of
 * the memo because a `Map` treats it as `0`.
 */
function maskedValueOf(walk: MaskingWalk, entry: MaskCatalogEntry, value: unknown): unknown {
  const rule = entry.rule ?? 'NULLIFY';
  if (!isMemoizable(value)) {
    return applyMaskRule(rule, value, entry.type, walk.ruleOptions);
  }

  let values = walk.maskedValues.get(entry);
  if (values === undefined) {
    values = new Map();
    walk.maskedValues.set(entry, values);
  }
  if (values.has(value)) {
    return values.get(value);
  }
  const masked = applyMaskRule(rule, value, entry.type, walk.ruleOptions);
  values.set(value, masked);
  return masked;
}

function isMemoizable(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || type === 'bigint' || (type === 'number' && !Object.is(value, -0));
}

function maskValue(
  walk: MaskingWalk,
  type: GraphQLOutputType,
  plan: SelectionPlan,
  value: unknown,
  parent: ResponsePath | undefined,
  key: string | number,
): unknown {
  if (value === null || value === undefined || plan.selections.length === 0 || typeof value !== 'object') {
    return value;
  }
  const path: ResponsePath = { prev: parent, key };
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.map((item: unknown, index) => maskValue(walk, nullable.ofType, plan, item, path, index)) : value;
  }
  const object = value as Record<string, unknown>;
  if (isObjectType(nullable)) {
    return maskObject(walk, nullable, plan, object, path);
  }
  const runtimeType = isAbstractType(nullable) ? walk.schema.getType(String(object[TYPENAME_ALIAS])) : undefined;
  if (isAbstractType(nullable) && isObjectType(runtimeType) && walk.schema.isSubType(nullable, runtimeType)) {
    return maskObject(walk, runtimeType, plan, object, path);
  }
  walk.logger.error({ path: pathToArray(path).join('.') }, 'runtime type of an abstract value is unknown; returning null');
  return null;
}

function reportForbidden(walk: MaskingWalk, coordinate: string, path: ResponsePath): void {
  if (walk.forbidden.length >= MAX_FORBIDDEN_ERRORS) {
    return;
  }
  const error = errors.FORBIDDEN.error(`Not permitted to read field ${coordinate}.`, { coordinate });
  walk.forbidden.push(new GraphQLError(error.message, { path: pathToArray(path), extensions: error.extensions }));
}

function pathToArray(path: ResponsePath | undefined): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let node = path; node !== undefined; node = node.prev) {
    keys.push(node.key);
  }
  return keys.reverse();
}

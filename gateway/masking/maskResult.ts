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
  type SelectionNode,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import { applyMaskRule } from './applyMaskRule.js';
import { collectFields, subSelections } from './collectFields.js';
import type { OperationDecisions } from './decisions.js';
import { fieldVerdict } from './fieldGovernance.js';
import { TYPENAME_ALIAS } from './typenameField.js';
import type { MaskCatalog, MaskRuleOptions } from './types.js';

/**
 * Maximum number of `FORBIDDEN` errors in one response. A denied field in a long list would otherwise
 * add one error per item; past this number the fields are still null, without an error each.
 */
export const MAX_FORBIDDEN_ERRORS = 100;

type ResponsePath = ReadonlyArray<string | number>;

/** Inputs and collected errors of the result walk of one operation. */
export interface MaskingWalk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly catalog: MaskCatalog;
  readonly decisions: OperationDecisions;
  readonly ruleOptions: MaskRuleOptions;
  readonly logger: Logger;
  /** `FORBIDDEN` errors of denied fields, added by the walk. */
  readonly forbidden: GraphQLError[];
}

/**
 * Returns a masked copy of an operation's `data`: each field is looked up by its runtime type, then
 * denied fields become null (with a `FORBIDDEN` error at their path), masked fields carry their rule's
 * output, and raw fields are walked into. The `__typename` added under `TYPENAME_ALIAS` is removed.
 */
export function maskData(
  walk: MaskingWalk,
  rootType: GraphQLObjectType,
  selections: readonly SelectionNode[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  return maskObject(walk, rootType, selections, data, []);
}

function maskObject(
  walk: MaskingWalk,
  type: GraphQLObjectType,
  selections: readonly SelectionNode[],
  value: Record<string, unknown>,
  path: ResponsePath,
): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...value };
  delete masked[TYPENAME_ALIAS];

  for (const [key, nodes] of collectFields(walk.schema, walk.fragments, type, selections)) {
    const fieldName = nodes[0].name.value;
    const field = type.getFields()[fieldName];
    if (!(key in masked) || field === undefined) {
      continue;
    }
    masked[key] = maskField(walk, type, fieldName, masked[key], [...path, key], () =>
      maskValue(walk, field.type, subSelections(nodes), masked[key], [...path, key]),
    );
  }
  return masked;
}

function maskField(
  walk: MaskingWalk,
  type: GraphQLObjectType,
  fieldName: string,
  value: unknown,
  path: ResponsePath,
  walkInto: () => unknown,
): unknown {
  const verdict = fieldVerdict(walk.catalog, walk.decisions, type, fieldName);
  if (verdict.kind === 'denied') {
    reportForbidden(walk, verdict.coordinate, path);
    return null;
  }
  if (verdict.kind === 'masked') {
    return applyMaskRule(verdict.entry.rule ?? 'NULLIFY', value, verdict.entry.type, walk.ruleOptions);
  }
  return walkInto();
}

function maskValue(
  walk: MaskingWalk,
  type: GraphQLOutputType,
  selections: readonly SelectionNode[],
  value: unknown,
  path: ResponsePath,
): unknown {
  if (value === null || value === undefined || selections.length === 0) {
    return value;
  }
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.map((item: unknown, index) => maskValue(walk, nullable.ofType, selections, item, [...path, index])) : value;
  }
  if (typeof value !== 'object') {
    return value;
  }
  const object = value as Record<string, unknown>;
  if (isObjectType(nullable)) {
    return maskObject(walk, nullable, selections, object, path);
  }
  const runtimeType = isAbstractType(nullable) ? walk.schema.getType(String(object[TYPENAME_ALIAS])) : undefined;
  if (isAbstractType(nullable) && isObjectType(runtimeType) && walk.schema.isSubType(nullable, runtimeType)) {
    return maskObject(walk, runtimeType, selections, object, path);
  }
  walk.logger.error({ path: path.join('.') }, 'runtime type of an abstract value is unknown; returning null');
  return null;
}

function reportForbidden(walk: MaskingWalk, coordinate: string, path: ResponsePath): void {
  if (walk.forbidden.length >= MAX_FORBIDDEN_ERRORS) {
    return;
  }
  const error = errors.FORBIDDEN.error(`Not permitted to read field ${coordinate}.`, { coordinate });
  walk.forbidden.push(new GraphQLError(error.message, { path, extensions: error.extensions }));
}

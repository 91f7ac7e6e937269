import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type SelectionSetNode,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import { callCost, fieldDefinition } from './callCost.js';
import { isExcluded } from './conditionals.js';
import { OPERATION_BASE_COST } from './estimate.js';
import { collectFragments, conditionType, requireFragment } from './fragments.js';
import { findOperation } from './operation.js';
import type { CostSchema } from './schema.js';
import { typeWeight } from './typeWeight.js';
import { prepareVariables, type OperationVariables } from './variables.js';

/** Inputs of measuring a response besides the schema, the document and the response. */
export interface ActualRequest {
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string | null;
}

interface Measure {
  readonly costSchema: CostSchema;
  readonly variables: OperationVariables;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** The fields selected under one response key, with the type that defines them. */
interface MergedField {
  readonly parentType: GraphQLCompositeType;
  readonly nodes: FieldNode[];
}

/**
 * Measures the actual cost of an operation from its response. The rule follows the "actual" cost
 * of Apollo Router's demand control (its response cost calculator): the response is walked along
 * the operation, and every field present costs its call cost once (its `@cost` plus its
 * arguments, never below 0); an object value costs its type weight plus its fields, a list costs
 * the sum of its items, and a leaf or null costs its type weight only when it is a non-null leaf
 * (0 unless its scalar or enum has `@cost`). The operation's base cost (10 for a mutation) is
 * added, as in the estimate, so that the estimate and the actual cost differ only where list
 * sizes differ. Fields absent from the response (under a null parent, or not returned) cost 0.
 *
 * NOTE: a response key that several fragments select counts once here, but once per selection in
 * the estimate, as in Apollo Router; such operations are estimated above their actual cost.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when the response cannot be read along the operation.
 */
export function measureActualCost(
  costSchema: CostSchema,
  document: DocumentNode,
  response: unknown,
  request: ActualRequest = {},
): number {
  const operation = findOperation(document, request.operationName);
  const rootType = costSchema.schema.getRootType(operation.operation);
  if (!rootType) throw errors.COST_QUERY_PARSE_FAILURE.error(`The schema has no ${operation.operation} root type.`);

  const measure: Measure = {
    costSchema,
    variables: prepareVariables(costSchema.schema, operation, request.variables),
    fragments: collectFragments(document),
  };
  const data = responseData(response);
  const base = OPERATION_BASE_COST[operation.operation];
  return data === null ? base : base + objectFieldsCost(measure, [operation.selectionSet], rootType, data);
}

function responseData(response: unknown): Record<string, unknown> | null {
  if (!isRecord(response)) throw errors.COST_QUERY_PARSE_FAILURE.error('The response is not a JSON object.');
  const data = response.data;
  if (data === null || data === undefined) return null;
  if (!isRecord(data)) throw errors.COST_QUERY_PARSE_FAILURE.error('The response "data" is not a JSON object.');
  return data;
}

/** Returns the cost of the fields of one object value of the response. */
function objectFieldsCost(
  measure: Measure,
  selectionSets: readonly SelectionSetNode[],
  staticType: GraphQLCompositeType,
  value: Record<string, unknown>,
): number {
  const runtimeType = runtimeTypeOf(measure, staticType, value);
  const fields = new Map<string, MergedField>();
  for (const selectionSet of selectionSets) mergeFields(measure, selectionSet, staticType, runtimeType, fields);

  let cost = 0;
  for (const [responseKey, field] of fields) {
    if (!Object.hasOwn(value, responseKey) || field.nodes[0].name.value.startsWith('__')) continue;
    cost += fieldValueCost(measure, field, value[responseKey]);
  }
  return cost;
}

function fieldValueCost(measure: Measure, field: MergedField, value: unknown): number {
  const { costSchema } = measure;
  const node = field.nodes[0];
  const definition = fieldDefinition(field.parentType, node.name.value);
  const coordinate = `${field.parentType.name}.${definition.name}`;
  const call = callCost(costSchema.directives, coordinate, definition, node, measure.variables.provided);

  const selectionSets = field.nodes.flatMap((candidate) => (candidate.selectionSet ? [candidate.selectionSet] : []));
  return call + valueCost(measure, getNamedType(definition.type), selectionSets, value);
}

/** Returns the cost of a returned value: per object its type weight and fields, per list its items. */
function valueCost(measure: Measure, type: GraphQLNamedType, selectionSets: readonly SelectionSetNode[], value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, item) => sum + valueCost(measure, type, selectionSets, item), 0);
  }
  const { costSchema } = measure;
  if (!isCompositeType(type)) return typeWeight(costSchema.schema, costSchema.directives, type);
  if (!isRecord(value)) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(`The response contains a ${typeof value} where the type ${type.name} expects an object.`);
  }
  const concrete = runtimeTypeOf(measure, type, value) ?? type;
  return typeWeight(costSchema.schema, costSchema.directives, concrete) + objectFieldsCost(measure, selectionSets, type, value);
}

/**
 * Collects the fields that apply to an object by response key, as graphql-js's field collection
 * does. When the object's concrete type is unknown (no `__typename` selected under an abstract
 * type), every fragment applies, and the response keys present decide what is counted.
 */
function mergeFields(
  measure: Measure,
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  runtimeType: GraphQLCompositeType | undefined,
  fields: Map<string, MergedField>,
): void {
  for (const selection of selectionSet.selections) {
    if (isExcluded(selection, measure.variables.coerced)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const field = fields.get(key) ?? { parentType, nodes: [] };
      field.nodes.push(selection);
      fields.set(key, field);
      continue;
    }
    const condition =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.typeCondition?.name.value
        : requireFragment(measure.fragments, selection.name.value).typeCondition.name.value;
    const type = conditionType(measure.costSchema.schema, condition) ?? parentType;
    if (!appliesTo(measure, type, runtimeType)) continue;
    const fragmentSelections =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : requireFragment(measure.fragments, selection.name.value).selectionSet;
    mergeFields(measure, fragmentSelections, type, runtimeType, fields);
  }
}

function appliesTo(measure: Measure, condition: GraphQLCompositeType, runtimeType: GraphQLCompositeType | undefined): boolean {
  if (!runtimeType || !isObjectType(runtimeType)) return true;
  if (condition.name === runtimeType.name) return true;
  return isAbstractType(condition) && measure.costSchema.schema.isSubType(condition, runtimeType);
}

/** Returns the concrete type of an object: its static type when that is an object type, else its `__typename`. */
function runtimeTypeOf(measure: Measure, staticType: GraphQLCompositeType, value: Record<string, unknown>): GraphQLCompositeType | undefined {
  if (isObjectType(staticType)) return staticType;
  const typename = value.__typename;
  if (typeof typename !== 'string') return undefined;
  const type = measure.costSchema.schema.getType(typename);
  return type && isObjectType(type) ? type : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

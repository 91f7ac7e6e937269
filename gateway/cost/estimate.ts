import {
  getNamedType,
  getNullableType,
  isListType,
  isNonNullType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type SelectionSetNode,
  isCompositeType,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import { callCost, fieldDefinition } from './callCost.js';
import { isExcluded } from './conditionals.js';
import { collectFragments, conditionType, requireFragment } from './fragments.js';
import { sizeFromListSize } from './listSize.js';
import { findOperation } from './operation.js';
import { resolveCostOptions, type CostOptions, type CostOptionsInput } from './options.js';
import type { CostSchema } from './schema.js';
import { buildSizedFieldTree, type SizedFieldTree } from './sizedFields.js';
import { typeWeight } from './typeWeight.js';
import { prepareVariables, type OperationVariables } from './variables.js';

/** Base cost of an operation by type, as Apollo Router's demand control counts it. */
export const OPERATION_BASE_COST: Readonly<Record<OperationTypeNode, number>> = {
  [OperationTypeNode.QUERY]: 0,
  [OperationTypeNode.MUTATION]: 10,
  [OperationTypeNode.SUBSCRIPTION]: 0,
};

/** The estimated cost of one field of an operation, summed over every place it is selected. */
export interface FieldCostEntry {
  /** Response path, aliases included, with `[]` after each list field: `a[].b`. */
  readonly path: string;
  /** Schema coordinate of the field: `Type.field`. */
  readonly coordinate: string;
  /** Number of times the field is estimated to resolve in the whole operation. */
  readonly resolutions: number;
  /** Cost of the field and everything selected under it, over the whole operation. */
  readonly cost: number;
  /** Cost of the field alone: its call cost and the type weight of its instances. */
  readonly selfCost: number;
}

/** The result of an estimate. */
export interface CostEstimate {
  readonly estimated: number;
  readonly operationType: OperationTypeNode;
  /** Per-field breakdown, in the order fields are first reached. */
  readonly fields: readonly FieldCostEntry[];
  /**
   * Estimated number of values at each response path over the whole operation, with `@` for the
   * items of a list as query plans write it: `products.@.reviews.@`.
   */
  readonly instanceCounts: ReadonlyMap<string, number>;
}

/** Inputs of an estimate besides the schema and the document. */
export interface EstimateRequest {
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string | null;
  readonly options?: CostOptions | CostOptionsInput;
  /** Sizes that a caller fixes for root fields, by field name (for example `_entities`). */
  readonly rootListSizes?: ReadonlyMap<string, number>;
}

type MutableEntry = { -readonly [key in keyof Omit<FieldCostEntry, 'path'>]: FieldCostEntry[key] };

interface Walk {
  readonly costSchema: CostSchema;
  readonly options: CostOptions;
  readonly variables: OperationVariables;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly fields: Map<string, MutableEntry>;
  readonly instanceCounts: Map<string, number>;
  readonly rootListSizes: ReadonlyMap<string, number>;
}

interface Position {
  readonly parentType: GraphQLCompositeType;
  readonly sized: SizedFieldTree | undefined;
  /** Response path for the breakdown, and the same path in query-plan form. */
  readonly path: string;
  readonly planPath: string;
  /** Estimated number of parent instances over the whole operation. */
  readonly resolutions: number;
}

/**
 * Estimates the cost of an operation with the `@cost`/`@listSize` rules of the IBM cost
 * specification as Apollo Router's demand control applies them. The operation costs its base
 * (10 for a mutation, 0 otherwise) plus its fields; a field costs its call cost once per
 * resolution (its `@cost` plus its arguments' cost, never below 0) and, per returned instance, its
 * type's weight plus the cost of its selections.
 *
 * The document must be valid against the schema.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when the cost cannot be computed, and
 * `BAD_USER_INPUT` for invalid variables; a request is never let through uncosted.
 */
export function estimateCost(costSchema: CostSchema, document: DocumentNode, request: EstimateRequest = {}): CostEstimate {
  const operation = findOperation(document, request.operationName);
  const rootType = costSchema.schema.getRootType(operation.operation);
  if (!rootType) {
    throw errors.COST_QUERY_PARSE_FAILURE.error(`The schema has no ${operation.operation} root type.`);
  }

  const walk: Walk = {
    costSchema,
    options: resolveCostOptions(request.options),
    variables: prepareVariables(costSchema.schema, operation, request.variables),
    fragments: collectFragments(document),
    fields: new Map(),
    instanceCounts: new Map(),
    rootListSizes: request.rootListSizes ?? new Map(),
  };
  const selections = selectionSetCost(walk, operation.selectionSet, {
    parentType: rootType,
    sized: undefined,
    path: '',
    planPath: '',
    resolutions: 1,
  });

  return {
    estimated: OPERATION_BASE_COST[operation.operation] + selections,
    operationType: operation.operation,
    fields: [...walk.fields].map(([path, entry]) => ({ path, ...entry })),
    instanceCounts: walk.instanceCounts,
  };
}

/** Returns the cost of one instance of the parent's selections: fragments count as if inlined. */
function selectionSetCost(walk: Walk, selectionSet: SelectionSetNode, position: Position): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (isExcluded(selection, walk.variables.coerced)) continue;
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(walk, selection, position);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const parentType = conditionType(walk.costSchema.schema, selection.typeCondition?.name.value) ?? position.parentType;
      cost += selectionSetCost(walk, selection.selectionSet, { ...position, parentType });
    } else {
      const fragment = requireFragment(walk.fragments, selection.name.value);
      const parentType = conditionType(walk.costSchema.schema, fragment.typeCondition.name.value) ?? position.parentType;
      cost += selectionSetCost(walk, fragment.selectionSet, { ...position, parentType });
    }
  }
  return cost;
}

/** Returns the cost of one resolution of a field: call cost plus its instances' cost. */
function fieldCost(walk: Walk, node: FieldNode, position: Position): number {
  // NOTE: meta-fields (`__typename`, `__schema`, `__type`) are resolved by the gateway without
  // any resolver of a data product, so they cost 0.
  if (node.name.value.startsWith('__')) return 0;

  const definition = fieldDefinition(position.parentType, node.name.value);
  const coordinate = `${position.parentType.name}.${definition.name}`;
  const { costSchema } = walk;
  const listSizeDirective = costSchema.directives.listSizes.get(coordinate);
  const ownSize = listSizeDirective
    ? sizeFromListSize(listSizeDirective, coordinate, definition, node, walk.variables.coerced)
    : undefined;

  const handed = position.sized?.children.get(definition.name);
  const isList = returnsList(definition.type);
  const instances = isList ? listSize(walk, coordinate, handedSize(walk, position, definition.name), ownSize) : 1;
  const fieldCallCost = callCost(costSchema.directives, coordinate, definition, node, walk.variables.provided);

  const namedType = getNamedType(definition.type);
  const weight = typeWeight(costSchema.schema, costSchema.directives, namedType);
  const responseKey = node.alias?.value ?? node.name.value;
  const path = joinPath(position.path, responseKey) + (isList ? '[]' : '');
  const planPath = joinPlanPath(position.planPath, responseKey, isList);
  const resolutions = position.resolutions * instances;
  addInstances(walk, planPath, resolutions);

  const entry = fieldEntry(walk, path, coordinate);
  let selections = 0;
  if (node.selectionSet && isCompositeType(namedType)) {
    const childSized = listSizeDirective?.sizedFields.length
      ? buildSizedFieldTree(listSizeDirective.sizedFields, ownSize, coordinate)
      : handed !== undefined && handed !== 'sized' ? handed : undefined;
    selections = selectionSetCost(walk, node.selectionSet, { parentType: namedType, sized: childSized, path, planPath, resolutions });
  }

  const cost = fieldCallCost + instances * (weight + selections);
  entry.resolutions += position.resolutions;
  entry.cost += position.resolutions * cost;
  entry.selfCost += position.resolutions * (fieldCallCost + instances * weight);
  return cost;
}

/** Applies the order of list sizes: handed down by a parent, the field's own, the subgraph's, the default. */
function listSize(walk: Walk, coordinate: string, handed: number | undefined, own: number | undefined): number {
  if (handed !== undefined) return handed;
  if (own !== undefined) return own;
  const subgraph = walk.costSchema.subgraph ?? walk.costSchema.fieldSubgraphs.get(coordinate);
  const configured = subgraph === undefined ? undefined : walk.options.subgraphListSizes[subgraph];
  return configured ?? walk.options.listSize;
}

/** Tells whether a field returns a list; a list of lists counts as one list. */
function returnsList(type: GraphQLOutputType): boolean {
  const nullable = isNonNullType(type) ? type.ofType : type;
  return isListType(getNullableType(nullable));
}

/** Returns the size a parent hands down: through its `sizedFields`, or the caller's for a root field. */
function handedSize(walk: Walk, position: Position, name: string): number | undefined {
  if (position.path === '' && walk.rootListSizes.has(name)) return walk.rootListSizes.get(name);
  return position.sized?.children.get(name) === 'sized' ? position.sized.size : undefined;
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function joinPlanPath(parent: string, key: string, isList: boolean): string {
  const path = joinPath(parent, key);
  return isList ? `${path}.@` : path;
}

function addInstances(walk: Walk, planPath: string, count: number): void {
  walk.instanceCounts.set(planPath, (walk.instanceCounts.get(planPath) ?? 0) + count);
}

/** Returns the breakdown entry of a path, created before the field's selections so the order is pre-order. */
function fieldEntry(walk: Walk, path: string, coordinate: string): MutableEntry {
  const existing = walk.fields.get(path);
  if (existing) return existing;
  const entry = { coordinate, resolutions: 0, cost: 0, selfCost: 0 };
  walk.fields.set(path, entry);
  return entry;
}

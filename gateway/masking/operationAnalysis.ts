import {
  getArgumentValues,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutableDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import type { ArgumentCoordinateResolver } from './argumentCoordinates.js';
import { governingCoordinates } from './governingCoordinates.js';

/** A use of a field's value that could reveal it without selecting it, for example `where: { delay: … }`. */
export interface FieldProbe {
  readonly coordinate: string;
  /** Description of where the operation uses the field, for the error message. It never contains a value. */
  readonly usage: string;
}

/** The coordinates an operation can reach, found before it runs. */
export interface OperationAnalysis {
  /** Governing coordinates of every field the operation selects, for every possible runtime type. */
  readonly selected: Set<string>;
  /** Fields the operation filters, orders, groups or aggregates by. */
  readonly probes: FieldProbe[];
}

interface AnalysisInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Variable values already coerced by `getVariableValues`. */
  readonly variables: Record<string, unknown>;
  readonly resolver: ArgumentCoordinateResolver;
}

/**
 * Walks the operation and the fragments it reaches, and collects the coordinates it selects and the
 * fields its arguments and aggregate selections use. Arguments are read with variables applied, so a
 * filter passed as `$where` is found like an inline one.
 */
export function analyzeOperation(input: AnalysisInput): OperationAnalysis {
  const analysis: OperationAnalysis = { selected: new Set(), probes: [] };
  const pending: ExecutableDefinitionNode[] = [input.operation];
  const visited = new Set<string>();

  for (let definition = pending.pop(); definition !== undefined; definition = pending.pop()) {
    const typeInfo = new TypeInfo(input.schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field: (node) => analyzeField(input, typeInfo, node, analysis),
        FragmentSpread: (node) => {
          const fragment = input.fragments.get(node.name.value);
          if (fragment !== undefined && !visited.has(node.name.value)) {
            visited.add(node.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return analysis;
}

function analyzeField(input: AnalysisInput, typeInfo: TypeInfo, node: FieldNode, analysis: OperationAnalysis): void {
  const parentType = typeInfo.getParentType();
  const fieldDef = typeInfo.getFieldDef();
  if (!parentType || !fieldDef || node.name.value.startsWith('__')) {
    return;
  }

  for (const coordinate of selectedCoordinates(input.schema, parentType, node.name.value)) {
    analysis.selected.add(coordinate);
  }
  for (const coordinate of input.resolver.selectionField(parentType.name, node.name.value)) {
    analysis.probes.push({ coordinate, usage: `the selection of ${parentType.name}.${node.name.value}` });
  }
  if ((node.arguments ?? []).length === 0) {
    return;
  }

  const values = argumentValuesOf(fieldDef, node, input.variables);
  for (const argument of fieldDef.args) {
    const usage = `argument "${argument.name}" of ${parentType.name}.${fieldDef.name}`;
    for (const coordinate of inputCoordinates(input.resolver, argument.type, values[argument.name])) {
      analysis.probes.push({ coordinate, usage });
    }
  }
}

function selectedCoordinates(schema: GraphQLSchema, parentType: GraphQLCompositeType, fieldName: string): string[] {
  if (isObjectType(parentType)) {
    return governingCoordinates(parentType, fieldName);
  }
  if (!isAbstractType(parentType)) {
    return [];
  }
  const coordinates = [`${parentType.name}.${fieldName}`];
  for (const possible of schema.getPossibleTypes(parentType)) {
    if (possible.getFields()[fieldName] !== undefined) {
      coordinates.push(...governingCoordinates(possible, fieldName));
    }
  }
  return coordinates;
}

/**
 * Coerces a field's arguments. A value that does not coerce makes execution fail on that field before
 * any resolver runs, so it reveals nothing and yields no arguments here.
 */
function argumentValuesOf(
  fieldDef: Parameters<typeof getArgumentValues>[0],
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  try {
    return getArgumentValues(fieldDef, node, variables);
  } catch {
    return {};
  }
}

function inputCoordinates(resolver: ArgumentCoordinateResolver, type: GraphQLInputType, value: unknown): string[] {
  const nullable = getNullableType(type);
  if (value === null || value === undefined) {
    return [];
  }
  if (isListType(nullable)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => inputCoordinates(resolver, nullable.ofType, item));
  }
  if (isEnumType(nullable)) {
    const name = nullable.getValues().find((enumValue) => enumValue.value === value)?.name ?? String(value);
    return resolver.enumValue(nullable.name, name);
  }
  if (!isInputObjectType(nullable) || typeof value !== 'object') {
    return [];
  }

  const coordinates: string[] = [];
  const fields = nullable.getFields();
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = fields[key];
    if (field === undefined || fieldValue === undefined) {
      continue;
    }
    coordinates.push(...resolver.inputField(nullable.name, key));
    coordinates.push(...inputCoordinates(resolver, field.type, fieldValue));
  }
  return coordinates;
}

/** Collects the fragment definitions of a document by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

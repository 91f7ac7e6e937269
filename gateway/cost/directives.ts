import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';

import { resolveCostDirectiveNames } from './directiveNames.js';

/** One `@listSize` application, with the spec's default `requireOneSlicingArgument: true` filled in. */
export interface ListSizeDirective {
  readonly assumedSize?: number;
  readonly slicingArguments: readonly string[];
  readonly sizedFields: readonly string[];
  readonly requireOneSlicingArgument: boolean;
}

/**
 * The `@cost` weights and `@listSize` settings of a schema, keyed by schema coordinate:
 * `Type`, `Type.field`, `Type.field(arg:)` and `Input.field`.
 */
export interface CostDirectives {
  readonly weights: ReadonlyMap<string, number>;
  readonly listSizes: ReadonlyMap<string, ListSizeDirective>;
}

/**
 * Reads the `@cost` and `@listSize` applications of an SDL document from its AST. Reading the
 * AST, not a built schema, keeps the directives of a supergraph, whose API schema drops them.
 */
export function readCostDirectives(sdl: string | DocumentNode): CostDirectives {
  const document = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  const names = resolveCostDirectiveNames(document);
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSizeDirective>();

  const collect = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (names.cost.has(name)) weights.set(coordinate, readWeight(directive, coordinate));
      if (names.listSize.has(name)) listSizes.set(coordinate, readListSize(directive));
    }
  };
  for (const definition of document.definitions) collectDefinition(definition, collect);
  return { weights, listSizes };
}

type Collect = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => void;

function collectDefinition(definition: DefinitionNode, collect: Collect): void {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      collect(definition.name.value, definition.directives);
      for (const field of definition.fields ?? []) collectField(definition.name.value, field, collect);
      return;
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      collect(definition.name.value, definition.directives);
      for (const field of definition.fields ?? []) collectInputField(definition.name.value, field, collect);
      return;
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      collect(definition.name.value, definition.directives);
      return;
    default:
      return;
  }
}

function collectField(typeName: string, field: FieldDefinitionNode, collect: Collect): void {
  const coordinate = `${typeName}.${field.name.value}`;
  collect(coordinate, field.directives);
  for (const argument of field.arguments ?? []) {
    collect(`${coordinate}(${argument.name.value}:)`, argument.directives);
  }
}

function collectInputField(typeName: string, field: InputValueDefinitionNode, collect: Collect): void {
  collect(`${typeName}.${field.name.value}`, field.directives);
}

function readWeight(directive: ConstDirectiveNode, coordinate: string): number {
  const value = argumentValue(directive, 'weight');
  if (value?.kind !== Kind.INT) {
    throw new Error(`@${directive.name.value} on ${coordinate} must have an Int weight, found ${value?.kind ?? 'none'}.`);
  }
  return Number(value.value);
}

function readListSize(directive: ConstDirectiveNode): ListSizeDirective {
  const assumed = argumentValue(directive, 'assumedSize');
  const requireOne = argumentValue(directive, 'requireOneSlicingArgument');
  return {
    assumedSize: assumed?.kind === Kind.INT ? Number(assumed.value) : undefined,
    slicingArguments: stringList(argumentValue(directive, 'slicingArguments')),
    sizedFields: stringList(argumentValue(directive, 'sizedFields')),
    requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
  };
}

function argumentValue(directive: ConstDirectiveNode, name: string) {
  return directive.arguments?.find((argument) => argument.name.value === name)?.value;
}

function stringList(value: ReturnType<typeof argumentValue>): string[] {
  if (value?.kind === Kind.STRING) return [value.value];
  if (value?.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';

import { errors } from '../../core/errors/index.js';
import { validateCatalogEntry } from './catalogValidation.js';
import { isMaskRule, type MaskRule } from './maskRule.js';
import { joinGraphNames, maskDirectiveNamesIn } from './supergraphLinks.js';
import type { FieldType, MaskCatalog, MaskCatalogEntry, ValueKind } from './types.js';
import { DEFAULT_SCALAR_KINDS, valueKindOf, type NamedTypeCategory } from './valueKind.js';

/** Options of `readMaskCatalog`. */
export interface ReadMaskCatalogOptions {
  /** Kinds of custom scalars, added to (and overriding) `DEFAULT_SCALAR_KINDS`. */
  scalarKinds?: Readonly<Record<string, ValueKind>>;
}

interface ReadContext {
  readonly directiveNames: ReturnType<typeof maskDirectiveNamesIn>;
  readonly graphNames: Map<string, string>;
  readonly categories: Map<string, NamedTypeCategory>;
  readonly scalarKinds: Readonly<Record<string, ValueKind>>;
  readonly problems: string[];
}

/**
 * Reads every field that carries `@mask`, `@classify` or `@restricted` from a supergraph SDL (or a
 * plain SDL) into a catalog by schema coordinate. The directives are read from the SDL's AST because
 * the API schema that Apollo Gateway serves drops them; their names follow the supergraph's `@link`
 * to the governance spec, and each field's subgraphs come from `@join__field`, else `@join__type`.
 *
 * @throws MASK_CONFIG_INVALID when the SDL does not parse, or listing every governed field whose
 *   directives are invalid: an unknown rule, a rule that does not apply to the field's type, or
 *   `NULLIFY` or `@restricted` on a non-null field.
 */
export function readMaskCatalog(supergraphSdl: string, options: ReadMaskCatalogOptions = {}): MaskCatalog {
  const document = parseSupergraph(supergraphSdl);
  const context: ReadContext = {
    directiveNames: maskDirectiveNamesIn(document),
    graphNames: joinGraphNames(document),
    categories: namedTypeCategories(document),
    scalarKinds: { ...DEFAULT_SCALAR_KINDS, ...options.scalarKinds },
    problems: [],
  };

  const catalog = new Map<string, MaskCatalogEntry>();
  for (const definition of document.definitions) {
    for (const entry of readTypeEntries(definition, context)) {
      catalog.set(entry.coordinate, entry);
    }
  }

  if (context.problems.length > 0) {
    throw errors.MASK_CONFIG_INVALID.error(`The supergraph's masking directives are invalid:\n${context.problems.join('\n')}`);
  }
  return catalog;
}

function parseSupergraph(supergraphSdl: string): DocumentNode {
  try {
    return parse(supergraphSdl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw errors.MASK_CONFIG_INVALID.error(`The supergraph SDL is not valid GraphQL: ${reason}`);
  }
}

function readTypeEntries(definition: DefinitionNode, context: ReadContext): MaskCatalogEntry[] {
  const isFieldContainer =
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_EXTENSION;
  if (!isFieldContainer) {
    return [];
  }

  const typeGraphs = joinGraphs(definition.directives, 'join__type', context.graphNames);
  const entries: MaskCatalogEntry[] = [];
  for (const field of definition.fields ?? []) {
    const entry = readFieldEntry(definition.name.value, field, typeGraphs, context);
    if (entry !== undefined) {
      entries.push(entry);
    }
  }
  return entries;
}

function readFieldEntry(
  typeName: string,
  field: FieldDefinitionNode,
  typeGraphs: string[],
  context: ReadContext,
): MaskCatalogEntry | undefined {
  const names = context.directiveNames;
  const directives = field.directives ?? [];
  const mask = directives.filter((directive) => directive.name.value === names.mask);
  const classify = directives.filter((directive) => directive.name.value === names.classify);
  const restricted = directives.some((directive) => directive.name.value === names.restricted);
  if (mask.length === 0 && classify.length === 0 && !restricted) {
    return undefined;
  }

  const coordinate = `${typeName}.${field.name.value}`;
  const fieldGraphs = joinGraphs(directives, 'join__field', context.graphNames);
  const entry: MaskCatalogEntry = {
    coordinate,
    typeName,
    fieldName: field.name.value,
    rule: readRule(coordinate, mask, context.problems),
    restricted,
    tags: classify.flatMap(readTags),
    subgraphs: fieldGraphs.length > 0 ? fieldGraphs : typeGraphs,
    type: fieldTypeOf(field.type, context),
  };
  context.problems.push(...validateCatalogEntry(entry));
  return entry;
}

function readRule(coordinate: string, mask: ConstDirectiveNode[], problems: string[]): MaskRule | undefined {
  if (mask.length === 0) {
    return undefined;
  }
  if (mask.length > 1) {
    problems.push(`${coordinate}: @mask appears ${mask.length} times; a field takes one mask rule.`);
  }
  const value = mask[0].arguments?.find((argument) => argument.name.value === 'rule')?.value;
  const name = value?.kind === Kind.ENUM || value?.kind === Kind.STRING ? value.value : undefined;
  if (name === undefined || !isMaskRule(name)) {
    problems.push(`${coordinate}: unknown mask rule ${name ?? '(missing)'}; expected one of the MaskRule values.`);
    return undefined;
  }
  return name;
}

function readTags(classify: ConstDirectiveNode): string[] {
  const value = classify.arguments?.find((argument) => argument.name.value === 'tags')?.value;
  if (value?.kind === Kind.STRING) {
    return [value.value];
  }
  if (value?.kind !== Kind.LIST) {
    return [];
  }
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

function joinGraphs(
  directives: readonly ConstDirectiveNode[] | undefined,
  joinDirective: string,
  graphNames: Map<string, string>,
): string[] {
  const graphs: string[] = [];
  for (const directive of directives ?? []) {
    const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
    if (directive.name.value === joinDirective && graph?.kind === Kind.ENUM) {
      graphs.push(graphNames.get(graph.value) ?? graph.value);
    }
  }
  return [...new Set(graphs)];
}

function fieldTypeOf(type: TypeNode, context: ReadContext, nonNull = false): FieldType {
  if (type.kind === Kind.NON_NULL_TYPE) {
    return fieldTypeOf(type.type, context, true);
  }
  if (type.kind === Kind.LIST_TYPE) {
    const item = fieldTypeOf(type.type, context);
    return { namedType: item.namedType, kind: item.kind, nonNull, item };
  }
  const name = type.name.value;
  return { namedType: name, kind: valueKindOf(name, context.categories.get(name), context.scalarKinds), nonNull };
}

function namedTypeCategories(document: DocumentNode): Map<string, NamedTypeCategory> {
  const categories = new Map<string, NamedTypeCategory>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION) {
      categories.set(definition.name.value, 'scalar');
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      categories.set(definition.name.value, 'enum');
    } else if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.UNION_TYPE_DEFINITION
    ) {
      categories.set(definition.name.value, 'composite');
    }
  }
  return categories;
}

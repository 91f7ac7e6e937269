import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type TypeNode,
} from 'graphql';
import { MAPPING_DIRECTIVE_NAMES } from './mapping.js';

/** Scalars a mapped column may have. */
export const COLUMN_SCALARS = ['Int', 'Float', 'String', 'Boolean', 'ID', 'BigInt', 'Decimal', 'Date', 'DateTime', 'LocalDateTime', 'JSON'] as const;
export type ColumnScalar = (typeof COLUMN_SCALARS)[number];

export const NUMERIC_SCALARS: ReadonlySet<ColumnScalar> = new Set(['Int', 'Float', 'BigInt', 'Decimal']);
/** Scalars a field may be filtered by value, ordered and grouped by: all but semi-structured JSON. */
export const COMPARABLE_SCALARS: ReadonlySet<ColumnScalar> = new Set(COLUMN_SCALARS.filter((scalar) => scalar !== 'JSON'));
export const ORDERED_SCALARS: ReadonlySet<ColumnScalar> = new Set([
  'Int', 'Float', 'BigInt', 'Decimal', 'Date', 'DateTime', 'LocalDateTime', 'String', 'ID',
]);

interface FieldBase {
  readonly name: string;
  readonly nonNull: boolean;
  /** The field's definition as written, for its description and pass-through directives. */
  readonly node: FieldDefinitionNode;
}

/** A field read from one column. */
export interface ColumnField extends FieldBase {
  readonly kind: 'column';
  readonly column: string;
  readonly scalar: ColumnScalar;
}

/** A field returning an entity of another type, whose key is stored in one column. */
export interface ReferenceField extends FieldBase {
  readonly kind: 'reference';
  readonly column: string;
  readonly target: string;
}

export type MappedField = ColumnField | ReferenceField;

/** A reverse relation: the rows of `target` whose reference field `foreignField` points at the parent. */
export interface RelationField {
  readonly name: string;
  readonly target: string;
  readonly foreignField: string;
  readonly node: FieldDefinitionNode;
}

/** An object type backed by a table or dataset. */
export interface MappedType {
  readonly name: string;
  readonly plural: string;
  readonly source: string;
  /** Fields that identify a row; the last tie-breaker of every ordering. */
  readonly keyFields: readonly string[];
  /** True when the type carries @key, so other subgraphs can resolve it. */
  readonly isEntity: boolean;
  readonly fields: readonly MappedField[];
  readonly relations: readonly RelationField[];
  readonly node: ObjectTypeDefinitionNode;
}

/** An entity owned by another subgraph that this one references or extends with relations. */
export interface EntityStub {
  readonly name: string;
  readonly keyFields: readonly string[];
  readonly keyScalars: ReadonlyMap<string, ColumnScalar>;
  readonly relations: readonly RelationField[];
  readonly node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
}

/** A data product: the mapped types and entity stubs declared in one domain's SDL. */
export interface DataProductModel {
  readonly types: ReadonlyMap<string, MappedType>;
  readonly stubs: ReadonlyMap<string, EntityStub>;
  /** Definitions the engine serves unchanged: Query fields of the domain, plain types, enums, inputs. */
  readonly plain: readonly DefinitionNode[];
}

/** A data product's SDL that does not follow the mapping rules; the message names the coordinate. */
export class DataProductDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataProductDefinitionError';
  }
}

/**
 * Reads a domain's SDL into a data-product model.
 *
 * @throws DataProductDefinitionError for a mapped type without key, an unknown column scalar, a
 *   reference to a type without a single-field key, or a relation whose field does not exist.
 */
export function readDataProduct(sdl: string): DataProductModel {
  const document = parse(sdl);
  const types = new Map<string, MappedType>();
  const stubs = new Map<string, EntityStub>();
  const plain: DefinitionNode[] = [];

  for (const definition of document.definitions) {
    const isObject = definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION;
    if (definition.kind === Kind.DIRECTIVE_DEFINITION && MAPPING_DIRECTIVE_NAMES.has(definition.name.value)) continue;
    if (!isObject) {
      plain.push(definition);
      continue;
    }
    const source = findDirective(definition.directives, 'table') ?? findDirective(definition.directives, 'dataset');
    if (source && definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      types.set(definition.name.value, readMappedType(definition, source));
    } else if (findDirective(definition.directives, 'key')) {
      stubs.set(definition.name.value, readStub(definition));
    } else {
      plain.push(definition);
    }
  }

  const model = { types, stubs, plain };
  checkReferences(model);
  return model;
}

function readMappedType(node: ObjectTypeDefinitionNode, source: ConstDirectiveNode): MappedType {
  const name = node.name.value;
  const fields: MappedField[] = [];
  const relations: RelationField[] = [];

  for (const field of node.fields ?? []) {
    const relation = readRelation(field);
    if (relation) relations.push(relation);
    else fields.push(readMappedField(name, field));
  }

  const keyFields = keyFieldsOf(node.directives) ?? stringListArgument(source, 'key');
  if (!keyFields || keyFields.length === 0) {
    throw new DataProductDefinitionError(`${name}: a mapped type needs @key(fields: ...) or a \`key\` argument on @${source.name.value}.`);
  }
  for (const key of keyFields) {
    const field = fields.find((candidate) => candidate.name === key);
    if (field?.kind !== 'column') {
      throw new DataProductDefinitionError(`${name}.${key}: a key field must be a column field of ${name}.`);
    }
    if (!COMPARABLE_SCALARS.has(field.scalar)) {
      throw new DataProductDefinitionError(`${name}.${key}: a key field cannot be ${field.scalar}; use a scalar that compares by value.`);
    }
  }

  return {
    name,
    plural: stringArgument(source, 'plural') ?? pluralize(name),
    source: stringArgument(source, 'name') as string,
    keyFields,
    isEntity: keyFieldsOf(node.directives) !== undefined,
    fields,
    relations,
    node,
  };
}

function readMappedField(typeName: string, field: FieldDefinitionNode): MappedField {
  const name = field.name.value;
  const { named, nonNull, list } = unwrapType(field.type);
  if (list) throw new DataProductDefinitionError(`${typeName}.${name}: list fields cannot be mapped to a column.`);

  const reference = findDirective(field.directives, 'reference');
  if (reference) {
    return { kind: 'reference', name, nonNull, node: field, target: named, column: stringArgument(reference, 'column') as string };
  }
  if (!(COLUMN_SCALARS as readonly string[]).includes(named)) {
    throw new DataProductDefinitionError(
      `${typeName}.${name}: type ${named} is not a column scalar; use one of ${COLUMN_SCALARS.join(', ')}, or @reference for an entity.`,
    );
  }
  const column = findDirective(field.directives, 'column');
  return {
    kind: 'column',
    name,
    nonNull,
    node: field,
    scalar: named as ColumnScalar,
    column: column ? (stringArgument(column, 'name') as string) : name,
  };
}

function readRelation(field: FieldDefinitionNode): RelationField | undefined {
  const relation = findDirective(field.directives, 'relation');
  if (!relation) return undefined;
  return {
    name: field.name.value,
    target: unwrapType(field.type).named,
    foreignField: stringArgument(relation, 'field') as string,
    node: field,
  };
}

function readStub(node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): EntityStub {
  const name = node.name.value;
  const keyFields = keyFieldsOf(node.directives);
  if (!keyFields) throw new DataProductDefinitionError(`${name}: an unmapped type must be an entity with @key(fields: ...).`);

  const keyScalars = new Map<string, ColumnScalar>();
  const relations: RelationField[] = [];
  for (const field of node.fields ?? []) {
    const relation = readRelation(field);
    if (relation) {
      relations.push(relation);
      continue;
    }
    const { named } = unwrapType(field.type);
    if (keyFields.includes(field.name.value)) keyScalars.set(field.name.value, named as ColumnScalar);
  }
  return { name, keyFields, keyScalars, relations, node };
}

function checkReferences(model: DataProductModel): void {
  for (const type of model.types.values()) {
    for (const field of type.fields) {
      if (field.kind !== 'reference') continue;
      const target = model.types.get(field.target) ?? model.stubs.get(field.target);
      if (!target) throw new DataProductDefinitionError(`${type.name}.${field.name}: the referenced type ${field.target} is not declared.`);
      if (target.keyFields.length !== 1) {
        throw new DataProductDefinitionError(`${type.name}.${field.name}: a reference needs ${field.target} to have a single-field key.`);
      }
    }
  }
  const owners = [...model.types.values(), ...model.stubs.values()];
  for (const owner of owners) {
    for (const relation of owner.relations) checkRelation(model, owner.name, relation);
  }
}

function checkRelation(model: DataProductModel, owner: string, relation: RelationField): void {
  const target = model.types.get(relation.target);
  const coordinate = `${owner}.${relation.name}`;
  if (!target) throw new DataProductDefinitionError(`${coordinate}: the relation's type ${relation.target} is not a mapped type.`);
  const foreign = target.fields.find((field) => field.name === relation.foreignField);
  if (!foreign || foreign.kind !== 'reference' || foreign.target !== owner) {
    throw new DataProductDefinitionError(`${coordinate}: ${relation.target}.${relation.foreignField} must be a reference to ${owner}.`);
  }
}

/** Returns the named type, nullability and list-ness of a field type. */
export function unwrapType(type: TypeNode): { named: string; nonNull: boolean; list: boolean } {
  const nonNull = type.kind === Kind.NON_NULL_TYPE;
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (inner.kind === Kind.LIST_TYPE) return { named: unwrapType(inner.type).named, nonNull, list: true };
  return { named: inner.name.value, nonNull, list: false };
}

export function findDirective(
  directives: readonly ConstDirectiveNode[] | undefined,
  name: string,
): ConstDirectiveNode | undefined {
  return directives?.find((directive) => directive.name.value === name);
}

/** Directives of a definition that are not mapping directives, to copy into the generated SDL. */
export function passThroughDirectives(directives: readonly ConstDirectiveNode[] | undefined): ConstDirectiveNode[] {
  return (directives ?? []).filter((directive) => !MAPPING_DIRECTIVE_NAMES.has(directive.name.value));
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function stringListArgument(directive: ConstDirectiveNode, name: string): string[] | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  if (value?.kind === Kind.STRING) return [value.value];
  if (value?.kind !== Kind.LIST) return undefined;
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

function keyFieldsOf(directives: readonly ConstDirectiveNode[] | undefined): string[] | undefined {
  const key = findDirective(directives, 'key');
  if (!key) return undefined;
  const fields = stringArgument(key, 'fields') ?? '';
  if (/[{}]/.test(fields)) throw new DataProductDefinitionError(`@key(fields: "${fields}"): nested key fields are not supported by the engine.`);
  return fields.split(/[\s,]+/).filter(Boolean);
}

/** English plural of a type name in lower camel case: Flight → flights, Category → categories. */
export function pluralize(typeName: string): string {
  const base = typeName[0].toLowerCase() + typeName.slice(1);
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(base)) return `${base}es`;
  return `${base}s`;
}

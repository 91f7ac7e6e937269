import { print, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { BACKEND_COST_PROFILES, type BackendKind } from './costWeights.js';
import {
  COMPARABLE_SCALARS,
  NUMERIC_SCALARS,
  ORDERED_SCALARS,
  passThroughDirectives,
  type ColumnScalar,
  type DataProductModel,
  type EntityStub,
  type MappedField,
  type MappedType,
  type RelationField,
} from './model.js';
import { generatedNames as names } from './naming.js';
import { SCALARS_SDL } from './scalars.js';

export interface GenerateOptions {
  readonly backend: BackendKind;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

/** Federation spec version of every generated subgraph; 2.9 introduced @cost and @listSize. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible", "@composeDirective", "@cost", "@listSize"])';

const COMMON_SDL = `
enum SortDirection {
  ASC
  DESC
}

"Relay page information; \`endCursor\` is the opaque cursor to pass as \`after\` for the next page."
type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}
`;

/**
 * Generates the subgraph SDL of a data product: the domain's own definitions without mapping
 * directives, plus for each mapped type its connection, aggregate, filter, ordering and lookup API.
 */
export function generateSubgraphSdl(model: DataProductModel, options: GenerateOptions): string {
  const parts = [FEDERATION_LINK, SCALARS_SDL.trim(), COMMON_SDL.trim(), scalarFiltersSdl(model)];
  for (const definition of model.plain) parts.push(print(definition));
  for (const type of model.types.values()) parts.push(mappedTypeSdl(model, type, options));
  for (const stub of model.stubs.values()) parts.push(stubSdl(model, stub, options));
  parts.push(queryExtensionSdl(model, options));
  return `${parts.filter(Boolean).join('\n\n')}\n`;
}

function mappedTypeSdl(model: DataProductModel, type: MappedType, options: GenerateOptions): string {
  const { rowWeight } = BACKEND_COST_PROFILES[options.backend];
  const fields = [
    ...type.fields.map((field) => printField(field.node)),
    ...type.relations.flatMap((relation) => relationFieldsSdl(model, relation, options)),
  ];
  const objectType = `${typeHeader(type.node)} @cost(weight: ${rowWeight}) {\n${indent(fields)}\n}`;
  return [objectType, connectionSdl(type), filterSdl(model, type), orderBySdl(model, type), aggregateSdl(model, type)].join('\n\n');
}

function stubSdl(model: DataProductModel, stub: EntityStub, options: GenerateOptions): string {
  const relationNames = new Set(stub.relations.map((relation) => relation.name));
  const fields = (stub.node.fields ?? []).filter((field) => !relationNames.has(field.name.value)).map(printField);
  const relations = stub.relations.flatMap((relation) => relationFieldsSdl(model, relation, options));
  return `${typeHeader(stub.node)} {\n${indent([...fields, ...relations])}\n}`;
}

function typeHeader(node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): string {
  const description = 'description' in node && node.description ? `${print(node.description)}\n` : '';
  const directives = passThroughDirectives(node.directives).map((directive) => print(directive));
  return `${description}type ${node.name.value}${directives.length ? ` ${directives.join(' ')}` : ''}`;
}

function printField(node: FieldDefinitionNode): string {
  return print({ ...node, directives: passThroughDirectives(node.directives) });
}

function listArguments(type: string, options: GenerateOptions): string {
  return (
    `where: ${names.filter(type)}, orderBy: [${names.orderBy(type)}!], ` +
    `"Page size, at most ${options.maxPageSize}." first: Int = ${options.defaultPageSize}, ` +
    '"Cursor of the last row of the previous page." after: String'
  );
}

function aggregateArguments(type: string, options: GenerateOptions): string {
  return (
    `where: ${names.filter(type)}, "Fields to group by; without it, one group of all rows." groupBy: [${names.groupField(type)}!], ` +
    `"Maximum number of groups, at most ${options.maxPageSize}." first: Int = ${options.defaultPageSize}`
  );
}

function listFieldsSdl(fieldName: string, type: string, options: GenerateOptions, description: string): string[] {
  const { queryWeight } = BACKEND_COST_PROFILES[options.backend];
  const aggregateDescription = `Aggregates of ${fieldName}: count, and sum, avg, min and max of each group.`;
  return [
    `"${description}"\n${fieldName}(${listArguments(type, options)}): ${names.connection(type)}! ` +
      `@listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"]) @cost(weight: ${queryWeight})`,
    `"${aggregateDescription}"\n${names.aggregateField(fieldName)}(${aggregateArguments(type, options)}): ` +
      `[${names.aggregateGroup(type)}!]! @listSize(slicingArguments: ["first"]) @cost(weight: ${queryWeight})`,
  ];
}

function relationFieldsSdl(model: DataProductModel, relation: RelationField, options: GenerateOptions): string[] {
  const target = model.types.get(relation.target) as MappedType;
  const description = relation.node.description?.value ?? `${target.plural} whose ${relation.foreignField} is this entity.`;
  return listFieldsSdl(relation.name, target.name, options, description.replace(/"/g, "'"));
}

function queryExtensionSdl(model: DataProductModel, options: GenerateOptions): string {
  const fields: string[] = [];
  for (const type of model.types.values()) {
    fields.push(...listFieldsSdl(type.plural, type.name, options, `${type.name} rows, filtered, ordered and paginated.`));
    if (type.isEntity) fields.push(lookupFieldSdl(type));
  }
  return `extend type Query {\n${indent(fields)}\n}`;
}

function lookupFieldSdl(type: MappedType): string {
  const args = type.keyFields.map((key) => `${key}: ${scalarOf(type, key)}!`).join(', ');
  return `"The ${type.name} with this key, or null."\n${names.lookupField(type.name)}(${args}): ${type.name}`;
}

function scalarOf(type: MappedType, fieldName: string): ColumnScalar {
  const field = type.fields.find((candidate) => candidate.name === fieldName);
  if (field?.kind !== 'column') throw new Error(`${type.name}.${fieldName} is not a column field`);
  return field.scalar;
}

function connectionSdl(type: MappedType): string {
  return [
    `type ${names.connection(type.name)} {\n  "Rows matching \`where\`, independent of paging."\n  totalCount: Int!\n  nodes: [${type.name}!]!\n  edges: [${names.edge(type.name)}!]!\n  pageInfo: PageInfo!\n}`,
    `type ${names.edge(type.name)} {\n  cursor: String!\n  node: ${type.name}!\n}`,
  ].join('\n\n');
}

/** The scalar used to filter, order and group a field: a reference uses its target's key scalar. */
export function filterScalarOf(model: DataProductModel, field: MappedField): ColumnScalar {
  if (field.kind === 'column') return field.scalar;
  const mapped = model.types.get(field.target);
  if (mapped) return scalarOf(mapped, mapped.keyFields[0]);
  const stub = model.stubs.get(field.target) as EntityStub;
  return stub.keyScalars.get(stub.keyFields[0]) ?? 'String';
}

function filterSdl(model: DataProductModel, type: MappedType): string {
  const name = names.filter(type.name);
  const fields = type.fields.map((field) => `${field.name}: ${names.scalarFilter(filterScalarOf(model, field))}`);
  fields.push(`and: [${name}!]`, `or: [${name}!]`, `not: ${name}`);
  return `input ${name} {\n${indent(fields)}\n}`;
}

/** Fields that can be ordered and grouped by: every field but semi-structured ones. */
function comparableFields(model: DataProductModel, type: MappedType): MappedField[] {
  return type.fields.filter((field) => COMPARABLE_SCALARS.has(filterScalarOf(model, field)));
}

function orderBySdl(model: DataProductModel, type: MappedType): string {
  const fields = comparableFields(model, type).map((field) => `${field.name}: SortDirection`);
  return `"One field to order by; list several in \`orderBy\` for ties. The key fields end every ordering, so pages are stable."\ninput ${names.orderBy(type.name)} {\n${indent(fields)}\n}`;
}

function aggregateSdl(model: DataProductModel, type: MappedType): string {
  const numeric = type.fields.filter((field) => field.kind === 'column' && NUMERIC_SCALARS.has(field.scalar));
  const ordered = type.fields.filter((field) => ORDERED_SCALARS.has(filterScalarOf(model, field)));
  const grouped = comparableFields(model, type);
  const groupKey = grouped.map((field) => `${field.name}: ${print(unwrappedNamed(field))}`);
  const sections = [
    `enum ${names.groupField(type.name)} {\n${indent(grouped.map((field) => field.name))}\n}`,
    `type ${names.groupKey(type.name)} {\n${indent(groupKey)}\n}`,
  ];
  const groupFields = ['"Values of the `groupBy` fields; null for fields not grouped by."\nkey: ' + `${names.groupKey(type.name)}!`, 'count: Int!'];

  if (numeric.length) {
    sections.push(statsType(names.sums(type.name), numeric, sumScalar));
    sections.push(statsType(names.averages(type.name), numeric, () => 'Float'));
    groupFields.push(`sum: ${names.sums(type.name)}!`, `avg: ${names.averages(type.name)}!`);
  }
  if (ordered.length) {
    const same = (field: MappedField) => filterScalarOf(model, field);
    sections.push(statsType(names.minimums(type.name), ordered, same), statsType(names.maximums(type.name), ordered, same));
    groupFields.push(`min: ${names.minimums(type.name)}!`, `max: ${names.maximums(type.name)}!`);
  }
  sections.push(`type ${names.aggregateGroup(type.name)} {\n${indent(groupFields)}\n}`);
  return sections.join('\n\n');
}

function unwrappedNamed(field: MappedField) {
  const type = field.node.type;
  return type.kind === 'NonNullType' ? type.type : type;
}

function statsType(name: string, fields: MappedField[], scalar: (field: MappedField) => string): string {
  return `type ${name} {\n${indent(fields.map((field) => `${field.name}: ${scalar(field)}`))}\n}`;
}

/** Sums widen: a sum of 32-bit integers can pass 2^31, so it is a BigInt. */
function sumScalar(field: MappedField): string {
  const scalar = field.kind === 'column' ? field.scalar : 'BigInt';
  return scalar === 'Int' ? 'BigInt' : scalar;
}

const FILTER_OPERATORS = {
  equality: ['eq', 'ne'],
  membership: ['in', 'notIn'],
  range: ['lt', 'lte', 'gt', 'gte'],
};

function scalarFiltersSdl(model: DataProductModel): string {
  const used = new Set<ColumnScalar>();
  for (const type of model.types.values()) for (const field of type.fields) used.add(filterScalarOf(model, field));
  return [...used].sort().map(scalarFilterSdl).join('\n\n');
}

function scalarFilterSdl(scalar: ColumnScalar): string {
  const isNull = '"true: the value is null; false: it is not."\nisNull: Boolean';
  if (!COMPARABLE_SCALARS.has(scalar)) return `input ${names.scalarFilter(scalar)} {\n${indent([isNull])}\n}`;
  const fields = [
    ...FILTER_OPERATORS.equality.map((op) => `${op}: ${scalar}`),
    ...(scalar === 'Boolean' ? [] : FILTER_OPERATORS.membership.map((op) => `${op}: [${scalar}!]`)),
    ...(ORDERED_SCALARS.has(scalar) ? FILTER_OPERATORS.range.map((op) => `${op}: ${scalar}`) : []),
    ...(scalar === 'String' || scalar === 'ID' ? ['"SQL LIKE pattern: % matches any run of characters, _ one character, \\\\ escapes."\nlike: String'] : []),
    isNull,
  ];
  return `input ${names.scalarFilter(scalar)} {\n${indent(fields)}\n}`;
}

function indent(lines: string[]): string {
  return lines.map((line) => line.split('\n').map((part) => `  ${part}`).join('\n')).join('\n');
}

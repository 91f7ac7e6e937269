import type { DataProductModel, MappedField, MappedType } from './model.js';
import type { Row } from './backend.js';
import { filterScalarOf } from './generate.js';
import { toGraphQLValue } from './values.js';

/** Returns the key field of a referenced entity type, owned here or by another subgraph. */
export function targetKeyField(model: DataProductModel, target: string): string {
  const owner = model.types.get(target) ?? model.stubs.get(target);
  return owner ? owner.keyFields[0] : 'id';
}

/** Converts one field's value; a reference becomes an entity representation `{ __typename, key }`. */
export function fieldValue(model: DataProductModel, type: MappedType, field: MappedField, raw: unknown): unknown {
  const coordinate = `${type.name}.${field.name}`;
  if (field.kind === 'column') return toGraphQLValue(raw, field.scalar, coordinate);
  if (raw === null || raw === undefined) return null;
  const key = toGraphQLValue(raw, filterScalarOf(model, field), coordinate);
  return { __typename: field.target, [targetKeyField(model, field.target)]: key };
}

/** Builds the GraphQL object of a row; only the fields present in the row are set. */
export function rowToNode(model: DataProductModel, type: MappedType, row: Row): Record<string, unknown> {
  const node: Record<string, unknown> = { __typename: type.name };
  for (const field of type.fields) {
    if (field.name in row) node[field.name] = fieldValue(model, type, field, row[field.name]);
  }
  return node;
}

/** Writes a key as one text, whatever the field order or the serialised form (`1` and `"1"` match). */
export function entityKeyText(model: DataProductModel, type: MappedType, values: Record<string, unknown>): string {
  const parts = type.keyFields.map((name) => {
    const field = type.fields.find((candidate) => candidate.name === name) as MappedField;
    const value = field.kind === 'column' ? toGraphQLValue(values[name], field.scalar, `${type.name}.${name}`) : values[name];
    return value === null || value === undefined ? null : String(value);
  });
  return JSON.stringify(parts);
}

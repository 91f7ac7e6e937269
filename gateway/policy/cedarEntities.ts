import type { CedarValueJson, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import { NAMESPACE, type AttributeKind, type AttributeShape } from './attributeShape.js';
import type { Action, FieldResource, Principal } from './types.js';

export const PRINCIPAL_TYPE = `${NAMESPACE}::Principal`;
export const FIELD_TYPE = `${NAMESPACE}::Field`;
export const ACTION_TYPE = `${NAMESPACE}::Action`;

const LONG_PATTERN = /^-?\d{1,18}$/;

export function principalUid(principal: Principal): EntityUidJson {
  return { type: PRINCIPAL_TYPE, id: principal.id };
}

export function fieldUid(resource: FieldResource): EntityUidJson {
  return { type: FIELD_TYPE, id: resource.coordinate };
}

export function actionUid(action: Action): EntityUidJson {
  return { type: ACTION_TYPE, id: action };
}

/**
 * Builds the principal entity with only the attributes the Cedar schema declares, each converted to
 * its declared type. A value that does not convert is left out, so a policy testing it with `has`
 * does not match; a missing set attribute (such as `roles`) becomes the empty set.
 */
export function principalEntity(principal: Principal, shape: AttributeShape): EntityJson {
  return { uid: principalUid(principal), attrs: shapeAttributes(principal.attributes, shape), parents: [] };
}

/** Builds the field entity: `tags`, `typeName`, `fieldName`, `coordinate` and `subgraph` as the schema declares them. */
export function fieldEntity(resource: FieldResource, shape: AttributeShape): EntityJson {
  const values: Record<string, unknown> = {
    coordinate: resource.coordinate,
    typeName: resource.typeName,
    fieldName: resource.fieldName,
    tags: resource.tags,
    subgraph: resource.subgraph,
  };
  return { uid: fieldUid(resource), attrs: shapeAttributes(values, shape), parents: [] };
}

function shapeAttributes(values: Record<string, unknown>, shape: AttributeShape): Record<string, CedarValueJson> {
  const attrs: Record<string, CedarValueJson> = {};
  for (const [name, spec] of Object.entries(shape)) {
    const value = toCedarValue(values[name], spec.kind);
    if (value !== undefined) attrs[name] = value;
    else if (spec.kind === 'StringSet' && spec.required) attrs[name] = [];
  }
  return attrs;
}

/** Converts a claim value to a Cedar value of `kind`, or returns undefined when it does not fit. */
export function toCedarValue(value: unknown, kind: AttributeKind): CedarValueJson | undefined {
  switch (kind) {
    case 'String':
      return typeof value === 'string' ? value : undefined;
    case 'Bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'Long':
      return toLong(value);
    case 'StringSet':
      return toStringSet(value);
    default:
      return undefined;
  }
}

function toLong(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && LONG_PATTERN.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

function toStringSet(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...new Set(value as string[])];
  return undefined;
}

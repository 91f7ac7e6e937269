import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/** The Cedar namespace of every meshgate entity type and action. */
export const NAMESPACE = 'MeshGate';

/** Attribute types that principal and field entities may carry; other Cedar types are not filled from claims. */
export type AttributeKind = 'String' | 'Long' | 'Bool' | 'StringSet' | 'unsupported';

export interface AttributeSpec {
  kind: AttributeKind;
  required: boolean;
}

/** The declared attributes of one entity type, by name. */
export type AttributeShape = Record<string, AttributeSpec>;

export interface EntityShapes {
  principal: AttributeShape;
  field: AttributeShape;
}

interface JsonType {
  type?: string;
  element?: JsonType;
  required?: boolean;
  attributes?: Record<string, JsonType>;
}

/**
 * Reads the attribute shapes of `MeshGate::Principal` and `MeshGate::Field` from a Cedar schema.
 *
 * @throws Error when the schema does not parse or does not declare both entity types.
 */
export function readEntityShapes(schemaText: string): EntityShapes {
  const answer = cedar.schemaToJsonWithResolvedTypes(schemaText);
  if (answer.type === 'failure') {
    throw new Error(`the Cedar schema does not parse: ${answer.errors.map((error) => error.message).join('; ')}`);
  }
  const namespace = answer.json[NAMESPACE];
  if (namespace === undefined) throw new Error(`the Cedar schema declares no namespace ${NAMESPACE}`);

  return {
    principal: readShape(namespace.entityTypes, 'Principal'),
    field: readShape(namespace.entityTypes, 'Field'),
  };
}

function readShape(entityTypes: Record<string, unknown>, name: string): AttributeShape {
  const entityType = entityTypes[name] as { shape?: JsonType } | undefined;
  if (entityType === undefined) throw new Error(`the Cedar schema declares no entity type ${NAMESPACE}::${name}`);

  const shape: AttributeShape = {};
  for (const [attribute, type] of Object.entries(entityType.shape?.attributes ?? {})) {
    shape[attribute] = { kind: kindOf(type), required: type.required !== false };
  }
  return shape;
}

function kindOf(type: JsonType): AttributeKind {
  if (type.type === 'String' || type.type === 'Long' || type.type === 'Bool') return type.type;
  if (type.type === 'Set' && type.element?.type === 'String') return 'StringSet';
  return 'unsupported';
}

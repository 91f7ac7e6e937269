import type { FieldResource } from './types.js';

const COORDINATE_PATTERN = /^([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)$/;

/** Builds the resource of a schema coordinate `Type.field`. @throws Error when the coordinate is malformed. */
export function fieldResource(coordinate: string, tags: string[] = [], subgraph?: string): FieldResource {
  const match = COORDINATE_PATTERN.exec(coordinate);
  if (match === null) throw new Error(`invalid schema coordinate "${coordinate}"; expected Type.field`);
  const resource: FieldResource = { coordinate, typeName: match[1], fieldName: match[2], tags: [...tags] };
  if (subgraph !== undefined) resource.subgraph = subgraph;
  return resource;
}

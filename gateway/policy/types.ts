/** A field of the supergraph as a policy resource: its schema coordinate, classification tags and subgraph. */
export interface FieldResource {
  coordinate: string;
  typeName: string;
  fieldName: string;
  tags: string[];
  subgraph?: string;
}

/** The caller of a request; an anonymous caller has id 'anonymous' and no attributes. */
export interface Principal {
  id: string;
  attributes: Record<string, unknown>;
}

/** `filter` is the right to filter, order, group or aggregate by a field whose value is masked. */
export type Action = 'read' | 'unmask' | 'filter';

/** Makes a policy decision; `version` changes whenever the policies behind the decisions change. */
export interface Decider {
  decide(principal: Principal, action: Action, resource: FieldResource): boolean | Promise<boolean>;
  version: string;
}

export const ACTIONS: readonly Action[] = ['read', 'unmask', 'filter'];

export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', attributes: Object.freeze({}) });

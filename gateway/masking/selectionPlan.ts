import type {
  FragmentDefinitionNode,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  SelectionNode,
} from 'graphql';

import { collectFields, subSelections } from './collectFields.js';
import { governingEntries } from './fieldGovernance.js';
import type { MaskCatalog, MaskCatalogEntry } from './types.js';

/** The schema, fragments and catalog that every selection plan of one document reads. */
export interface SelectionPlanScope {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly catalog: MaskCatalog;
}

/** A field of a runtime object type as the result walk reads it. */
export interface PlannedField {
  readonly responseKey: string;
  readonly fieldName: string;
  readonly fieldType: GraphQLOutputType;
  /** Catalog entries of the field's governing coordinates, the type's own first, or none when no coordinate is governed. */
  readonly governing: readonly MaskCatalogEntry[];
  /** The merged sub-selections of every field node under this response key. */
  readonly selection: SelectionPlan;
}

/**
 * The selections of one selection set, grouped by response key for each runtime type on first use.
 * A plan belongs to one document and never to a request, so it contains no decision: the walk decides
 * per request from `PlannedField.governing`.
 */
export class SelectionPlan {
  private readonly fieldsByType = new Map<GraphQLObjectType, readonly PlannedField[]>();

  constructor(
    private readonly scope: SelectionPlanScope,
    readonly selections: readonly SelectionNode[],
  ) {}

  /** Lists the fields these selections read on an object of `type`, skipping those it does not define (`__typename`). */
  fieldsOf(type: GraphQLObjectType): readonly PlannedField[] {
    let fields = this.fieldsByType.get(type);
    if (fields === undefined) {
      fields = this.planFields(type);
      this.fieldsByType.set(type, fields);
    }
    return fields;
  }

  private planFields(type: GraphQLObjectType): PlannedField[] {
    const planned: PlannedField[] = [];
    for (const [responseKey, nodes] of collectFields(this.scope.schema, this.scope.fragments, type, this.selections)) {
      const fieldName = nodes[0].name.value;
      const field = type.getFields()[fieldName];
      if (field === undefined) {
        continue;
      }
      planned.push({
        responseKey,
        fieldName,
        fieldType: field.type,
        governing: governingEntries(this.scope.catalog, type, fieldName),
        selection: new SelectionPlan(this.scope, subSelections(nodes)),
      });
    }
    return planned;
  }
}

import {
  getOperationAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import type { ArgumentCoordinateResolver } from './argumentCoordinates.js';
import { analyzeOperation, fragmentsOf, type OperationAnalysis } from './operationAnalysis.js';
import { SelectionPlan } from './selectionPlan.js';
import { addTypenameToAbstractSelections, usesTypenameAlias } from './typenameField.js';
import type { MaskCatalog } from './types.js';

/** The masking plan of one operation of a document, the same for every request that runs it. */
export interface OperationPlan {
  readonly operation: OperationDefinitionNode;
  readonly rootType: GraphQLObjectType;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** True when the document uses `TYPENAME_ALIAS` itself, which the plugin rejects. */
  readonly usesReservedAlias: boolean;
  /** The document to execute, with `__typename` on abstract selections. It is one object per input document. */
  readonly executionDocument: DocumentNode;
  /** The analysis of an operation without variable definitions, or undefined when it depends on variable values. */
  readonly staticAnalysis: OperationAnalysis | undefined;
  /** The plan of the result walk, from the operation's top-level selections. */
  readonly selection: SelectionPlan;
}

/** The part of a document's plan that every operation in it shares. */
interface DocumentPlan {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly usesReservedAlias: boolean;
  readonly executionDocument: DocumentNode;
  /** Plans by operation name, where `''` is the document's only operation, selected without a name. */
  readonly operations: Map<string, OperationPlan>;
}

/**
 * Caches operation plans per (schema, document object, operation name). Schemas and documents are
 * held weakly, so a plan lives as long as the caller keeps the parsed document, as Apollo Server's
 * document cache does. An operation name that selects nothing is not cached, so that callers cannot
 * grow a document's entry with made-up names.
 */
export class OperationPlanCache {
  private readonly documents = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentPlan>>();

  constructor(private readonly catalog: MaskCatalog) {}

  /** Returns the plan of the operation that `operationName` selects, or undefined when there is no such operation. */
  planFor(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    resolver: ArgumentCoordinateResolver,
  ): OperationPlan | undefined {
    const documentPlan = this.documentPlanFor(schema, document);
    const key = operationName ?? '';
    const cached = documentPlan.operations.get(key);
    if (cached !== undefined) {
      return cached;
    }

    const plan = this.planOperation(schema, document, documentPlan, operationName, resolver);
    if (plan !== undefined) {
      documentPlan.operations.set(key, plan);
    }
    return plan;
  }

  private documentPlanFor(schema: GraphQLSchema, document: DocumentNode): DocumentPlan {
    let bySchema = this.documents.get(schema);
    if (bySchema === undefined) {
      bySchema = new WeakMap();
      this.documents.set(schema, bySchema);
    }
    let documentPlan = bySchema.get(document);
    if (documentPlan === undefined) {
      documentPlan = {
        fragments: fragmentsOf(document),
        usesReservedAlias: usesTypenameAlias(document),
        executionDocument: addTypenameToAbstractSelections(schema, document),
        operations: new Map(),
      };
      bySchema.set(document, documentPlan);
    }
    return documentPlan;
  }

  private planOperation(
    schema: GraphQLSchema,
    document: DocumentNode,
    documentPlan: DocumentPlan,
    operationName: string | null | undefined,
    resolver: ArgumentCoordinateResolver,
  ): OperationPlan | undefined {
    const operation = getOperationAST(document, operationName);
    const rootType = operation ? schema.getRootType(operation.operation) : undefined;
    if (!operation || !rootType) {
      return undefined;
    }

    const { fragments } = documentPlan;
    const hasVariables = (operation.variableDefinitions ?? []).length > 0;
    return {
      operation,
      rootType,
      fragments,
      usesReservedAlias: documentPlan.usesReservedAlias,
      executionDocument: documentPlan.executionDocument,
      staticAnalysis: hasVariables ? undefined : analyzeOperation({ schema, operation, fragments, variables: {}, resolver }),
      selection: new SelectionPlan({ schema, fragments, catalog: this.catalog }, operation.selectionSet.selections),
    };
  }
}

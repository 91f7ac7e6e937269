import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLError } from 'graphql';

import type { LimitsSection } from '../../core/config/sections/cost.js';
import { operationLimitError } from '../cost/index.js';

/**
 * Returns the error of the first limit the operation exceeds, or undefined. The cheap measures of
 * the source (size, then tokens) come before the walks of the document.
 */
export function checkOperationLimits(
  limits: LimitsSection,
  source: string,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  const documentBytes = Buffer.byteLength(source, 'utf8');
  if (documentBytes > limits.maxDocumentBytes) return operationLimitError('documentSize', limits.maxDocumentBytes, documentBytes);

  const tokens = countTokens(source);
  if (tokens > limits.maxTokens) return operationLimitError('tokens', limits.maxTokens, tokens);

  const fragments = fragmentsOf(document);
  const depth = selectionDepth(operation.selectionSet, fragments, new Set());
  if (depth > limits.maxDepth) return operationLimitError('depth', limits.maxDepth, depth);

  const aliases = countAliases(document);
  if (aliases > limits.maxAliases) return operationLimitError('aliases', limits.maxAliases, aliases);

  const rootFields = countRootFields(operation.selectionSet, fragments, new Set());
  if (rootFields > limits.maxRootFields) return operationLimitError('rootFields', limits.maxRootFields, rootFields);
  return undefined;
}

/**
 * Counts lexical tokens as graphql-js's `maxTokens` parse option does. The document size is checked
 * first, so counting every token of a document is bounded.
 */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}

/**
 * Returns the deepest field nesting under a selection set, root fields at depth 1. Fragment spreads
 * add no depth of their own; a fragment already on the path counts 0, because validation rejects
 * fragment cycles before this runs.
 */
export function selectionDepth(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, path: Set<string>): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const below = selection.selectionSet ? selectionDepth(selection.selectionSet, fragments, path) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, fragments, path));
    } else {
      deepest = Math.max(deepest, spreadMeasure(selection.name.value, fragments, path, selectionDepth));
    }
  }
  return deepest;
}

/** Counts the aliased fields written in the document, in operations and fragments alike. */
export function countAliases(document: DocumentNode): number {
  let aliases = 0;
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) aliases += 1;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition.selectionSet);
  }
  return aliases;
}

/** Counts the fields an operation selects at its root, through fragments. */
export function countRootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, path: Set<string>): number {
  let fields = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields += countRootFields(selection.selectionSet, fragments, path);
    else fields += spreadMeasure(selection.name.value, fragments, path, countRootFields);
  }
  return fields;
}

type SelectionMeasure = (selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, path: Set<string>) => number;

function spreadMeasure(name: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>, path: Set<string>, measure: SelectionMeasure): number {
  const fragment = fragments.get(name);
  if (!fragment || path.has(name)) return 0;
  path.add(name);
  const value = measure(fragment.selectionSet, fragments, path);
  path.delete(name);
  return value;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

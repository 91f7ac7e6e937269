import { Kind, parse, type SelectionSetNode } from 'graphql';

import { errors } from '../../core/errors/index.js';

/**
 * The fields a parent's `@listSize(sizedFields:)` sizes, as a tree by field name: a leaf takes the
 * parent's slicing size, an inner node only leads to deeper sized fields.
 */
export interface SizedFieldTree {
  readonly size: number | undefined;
  readonly children: ReadonlyMap<string, SizedFieldTree | 'sized'>;
}

/**
 * Builds the tree of `sizedFields` paths. A path is a field name, a selection such as
 * `"results { page }"`, or a dotted path such as `"results.page"`; its last field is the sized one.
 *
 * @throws GraphQLError `COST_QUERY_PARSE_FAILURE` when a path is not a valid selection.
 */
export function buildSizedFieldTree(paths: readonly string[], size: number | undefined, coordinate: string): SizedFieldTree {
  const children = new Map<string, SizedFieldTree | 'sized'>();
  const tree: SizedFieldTree = { size, children };
  for (const path of paths) addSelection(tree, parseSizedPath(path, coordinate));
  return tree;
}

function parseSizedPath(path: string, coordinate: string): SelectionSetNode {
  const selection = path.includes('{') ? path : path.split('.').reduceRight((inner, name) => `${name} { ${inner} }`);
  try {
    const document = parse(`{ ${selection} }`, { noLocation: true });
    const operation = document.definitions[0];
    if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('not a selection');
    return operation.selectionSet;
  } catch {
    throw errors.COST_QUERY_PARSE_FAILURE.error(
      `The sizedFields path "${path}" of @listSize on ${coordinate} is not a valid field selection.`,
    );
  }
}

function addSelection(tree: SizedFieldTree, selectionSet: SelectionSetNode): void {
  const children = tree.children as Map<string, SizedFieldTree | 'sized'>;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const name = selection.name.value;
    if (!selection.selectionSet) {
      children.set(name, 'sized');
      continue;
    }
    const existing = children.get(name);
    const child = existing && existing !== 'sized' ? existing : { size: tree.size, children: new Map() };
    children.set(name, child);
    addSelection(child, selection.selectionSet);
  }
}

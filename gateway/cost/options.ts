/**
 * List size used when nothing else sizes a list. Apollo Router's `static_estimated.list_size` has
 * no default and must be configured; 100 is the size its own cost-calculator tests assume.
 */
export const DEFAULT_LIST_SIZE = 100;

/** Options of the cost estimator, as a caller gives them. */
export interface CostOptionsInput {
  /** Size of a list that no `@listSize` sizes and no subgraph setting covers. Default 100. */
  readonly listSize?: number;
  /** Size of an unsized list resolved by a subgraph, by subgraph name; overrides `listSize`. */
  readonly subgraphListSizes?: Readonly<Record<string, number>>;
}

/** Validated, defaulted and frozen options. */
export interface CostOptions {
  readonly listSize: number;
  readonly subgraphListSizes: Readonly<Record<string, number>>;
}

/**
 * Fills the defaults of the estimator's options and validates them.
 *
 * @throws Error naming the option, the expectation and the value found, for a wrong option.
 */
export function resolveCostOptions(input: CostOptionsInput = {}): CostOptions {
  const listSize = input.listSize ?? DEFAULT_LIST_SIZE;
  validateListSize('cost.listSize', listSize);

  const subgraphListSizes = { ...input.subgraphListSizes };
  for (const [subgraph, size] of Object.entries(subgraphListSizes)) {
    validateListSize(`cost.subgraphListSizes.${subgraph}`, size);
  }
  return Object.freeze({ listSize, subgraphListSizes: Object.freeze(subgraphListSizes) });
}

function validateListSize(path: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${path} must be a non-negative integer, found ${JSON.stringify(value)}.`);
  }
}

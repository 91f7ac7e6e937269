import type { Logger } from '../../core/logger.js';
import type { Action, Decider, FieldResource, MaskCatalog, MaskCatalogEntry, Principal } from './types.js';

/** The decisions of one operation, by action and coordinate; a missing decision means deny. */
export class OperationDecisions {
  constructor(private readonly permits: ReadonlyMap<string, boolean>) {}

  /** Tells whether the policy permits an action on a coordinate; false when it was not decided. */
  allows(action: Action, coordinate: string): boolean {
    return this.permits.get(decisionKey(action, coordinate)) === true;
  }
}

interface DecideInput {
  readonly catalog: MaskCatalog;
  readonly decider: Decider;
  readonly principal: Principal;
  readonly logger: Logger;
  /** Coordinates the operation selects. */
  readonly selected: Iterable<string>;
  /** Coordinates the operation filters, orders, groups or aggregates by. */
  readonly probed: Iterable<string>;
}

/**
 * Asks the decider once per action and coordinate that the operation needs: `unmask` for masked
 * fields, `read` for restricted ones, and `filter` for governed fields used in arguments. All calls
 * run concurrently. A decider that throws, rejects or returns anything but `true` denies, so the
 * field stays masked (fail closed).
 */
export async function decideOperation(input: DecideInput): Promise<OperationDecisions> {
  const requests = new Map<string, { action: Action; entry: MaskCatalogEntry }>();
  const request = (action: Action, entry: MaskCatalogEntry): void => {
    requests.set(decisionKey(action, entry.coordinate), { action, entry });
  };

  for (const entry of governedEntries(input.catalog, input.selected)) {
    requestReadingDecisions(entry, request);
  }
  for (const entry of governedEntries(input.catalog, input.probed)) {
    requestReadingDecisions(entry, request);
    request('filter', entry);
  }

  const keys = [...requests.keys()];
  const results = await Promise.all(
    [...requests.values()].map(({ action, entry }) => decideSafely(input, action, entry)),
  );
  return new OperationDecisions(new Map(keys.map((key, index) => [key, results[index]])));
}

/** Builds the policy resource of a catalog entry; `subgraph` is set only when one subgraph resolves the field. */
export function fieldResourceOf(entry: MaskCatalogEntry): FieldResource {
  const resource: FieldResource = {
    coordinate: entry.coordinate,
    typeName: entry.typeName,
    fieldName: entry.fieldName,
    tags: [...entry.tags],
  };
  if (entry.subgraphs.length === 1) {
    resource.subgraph = entry.subgraphs[0];
  }
  return resource;
}

function requestReadingDecisions(entry: MaskCatalogEntry, request: (action: Action, entry: MaskCatalogEntry) => void): void {
  if (entry.rule !== undefined) {
    request('unmask', entry);
  }
  if (entry.restricted) {
    request('read', entry);
  }
}

function* governedEntries(catalog: MaskCatalog, coordinates: Iterable<string>): Generator<MaskCatalogEntry> {
  for (const coordinate of coordinates) {
    const entry = catalog.get(coordinate);
    if (entry !== undefined && (entry.rule !== undefined || entry.restricted)) {
      yield entry;
    }
  }
}

async function decideSafely(input: DecideInput, action: Action, entry: MaskCatalogEntry): Promise<boolean> {
  try {
    return (await input.decider.decide(input.principal, action, fieldResourceOf(entry))) === true;
  } catch (error) {
    input.logger.warn(
      { coordinate: entry.coordinate, action, policyVersion: input.decider.version, err: error },
      'policy decision failed; denying',
    );
    return false;
  }
}

function decisionKey(action: Action, coordinate: string): string {
  return `${action} ${coordinate}`;
}

/**
 * `@cost` weights of generated fields and types, per backend kind. Units are the cost
 * specification's abstract units, relative to one keyed row read from the embedded warehouse (1).
 *
 * NOTE: these are estimates from the relative cost of the operations, not measured per deployment:
 * a lake row comes out of a columnar scan over files (about twice a keyed warehouse row), a scan or
 * aggregate query pays a fixed planning and file-opening cost (about ten rows), and a model call on
 * a GPU costs more than either. Tune them from `npm run bench` on the production backends.
 */
export interface BackendCostProfile {
  /** Weight of each returned row of a mapped type. */
  readonly rowWeight: number;
  /** Weight of one list, connection or aggregate query, paid once per resolution. */
  readonly queryWeight: number;
}

export const BACKEND_COST_PROFILES = {
  warehouse: { rowWeight: 1, queryWeight: 5 },
  lake: { rowWeight: 2, queryWeight: 10 },
  vector: { rowWeight: 2, queryWeight: 15 },
  inference: { rowWeight: 20, queryWeight: 50 },
} as const satisfies Record<string, BackendCostProfile>;

export type BackendKind = keyof typeof BACKEND_COST_PROFILES;

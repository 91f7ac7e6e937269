import type { Logger } from '../../core/logger.js';
import { parseAutoscalingOptions, type AutoscalingOptionsInput, type AutoscalingSettings, type SubgraphCapacity } from './options.js';
import { SlidingWindow } from './slidingWindow.js';
import { ScaleDownStabilizer } from './stabilization.js';

/** One subgraph's entry in the `/autoscaling` JSON. */
export interface SubgraphHint {
  costPerSecond: number;
  capacityPerReplica: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  windowSeconds: number;
}

export interface AutoscalingHintsOptions extends AutoscalingOptionsInput {
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
  logger?: Logger;
}

/**
 * Floating-point slack when dividing a rate by a capacity, so that a rate of exactly 3 replicas'
 * worth, computed as 2.9999999999999996 or 3.0000000000000004, yields 3 replicas and not 4.
 */
const RATIO_TOLERANCE = 1e-9;

interface SubgraphLoad {
  capacity: SubgraphCapacity;
  window: SlidingWindow;
  stabilizer: ScaleDownStabilizer;
}

/**
 * Autoscaling hints per subgraph: the actual cost per second over a sliding window, and the
 * replica count that serves it, `clamp(ceil(costPerSecond / capacityPerReplica), min, max)`, held
 * up during scale-down by the highest count of the stabilisation window (see `stabilization.ts`).
 *
 * @throws ConfigError at construction when an option is invalid.
 */
export class AutoscalingHints {
  readonly settings: AutoscalingSettings;
  private readonly loads = new Map<string, SubgraphLoad>();
  private readonly ignored = new Set<string>();
  private readonly clock: () => number;
  private readonly logger: Logger | undefined;

  constructor(options: AutoscalingHintsOptions) {
    const { clock, logger, ...raw } = options;
    this.settings = parseAutoscalingOptions(raw);
    this.clock = clock ?? Date.now;
    this.logger = logger;
    for (const [name, capacity] of Object.entries(this.settings.subgraphs)) this.loads.set(name, this.newLoad(capacity));
  }

  /** Adds the actual cost a subgraph served; invalid costs and unknown subgraphs are logged and skipped. */
  record(subgraph: string, cost: number): void {
    if (!Number.isFinite(cost) || cost < 0) {
      this.logger?.warn({ subgraph, cost: String(cost) }, 'cost for autoscaling is not a finite number of at least 0; skipped');
      return;
    }
    this.loadOf(subgraph)?.window.add(cost, this.clock());
  }

  /** Names of the subgraphs with hints, configured ones first. */
  subgraphs(): string[] {
    return [...this.loads.keys()];
  }

  /** Average cost per second the subgraph served over the window; 0 for an unknown subgraph. */
  costPerSecond(subgraph: string): number {
    const load = this.loads.get(subgraph);
    if (load === undefined) return 0;
    return load.window.sum(this.clock()) / this.settings.windowSeconds;
  }

  /** Replicas the subgraph needs now, stabilised for scale-down; undefined for an unknown subgraph. */
  desiredReplicas(subgraph: string): number | undefined {
    const load = this.loads.get(subgraph);
    if (load === undefined) return undefined;

    const { capacityPerReplica, minReplicas, maxReplicas } = load.capacity;
    const needed = Math.ceil(this.costPerSecond(subgraph) / capacityPerReplica - RATIO_TOLERANCE);
    const clamped = Math.min(maxReplicas, Math.max(minReplicas, needed));
    return load.stabilizer.recommend(clamped, this.clock());
  }

  /** Returns the hints of every subgraph, as served at `/autoscaling`. */
  snapshot(): Record<string, SubgraphHint> {
    const result: Record<string, SubgraphHint> = {};
    for (const [name, load] of this.loads) {
      result[name] = {
        costPerSecond: this.costPerSecond(name),
        capacityPerReplica: load.capacity.capacityPerReplica,
        desiredReplicas: this.desiredReplicas(name) ?? load.capacity.minReplicas,
        minReplicas: load.capacity.minReplicas,
        maxReplicas: load.capacity.maxReplicas,
        windowSeconds: this.settings.windowSeconds,
      };
    }
    return result;
  }

  private loadOf(subgraph: string): SubgraphLoad | undefined {
    const known = this.loads.get(subgraph);
    if (known !== undefined) return known;

    const defaults = this.settings.defaults;
    if (defaults === undefined) {
      if (!this.ignored.has(subgraph)) this.logger?.warn({ subgraph }, 'subgraph has no autoscaling capacity configured; its cost is ignored');
      this.ignored.add(subgraph);
      return undefined;
    }
    const load = this.newLoad(defaults);
    this.loads.set(subgraph, load);
    return load;
  }

  private newLoad(capacity: SubgraphCapacity): SubgraphLoad {
    const { windowSeconds, bucketSeconds, stabilizationWindowSeconds } = this.settings;
    return {
      capacity,
      window: new SlidingWindow(windowSeconds, bucketSeconds),
      stabilizer: new ScaleDownStabilizer(stabilizationWindowSeconds, bucketSeconds),
    };
  }
}

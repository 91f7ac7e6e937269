import type { MeshConfig, SubgraphName } from '../core/config/index.js';
import type { ServiceHandle } from '../core/http/service.js';
import type { Logger } from '../core/logger.js';
import { generateSubgraphSdl } from './kit/generate.js';
import { readDataProduct } from './kit/model.js';
import { inferenceSdl, startInferenceSubgraph } from './inference/index.js';
import { readLakeSdl, startLakeSubgraph } from './lake/index.js';
import { readWarehouseSdl, startWarehouseSubgraph } from './warehouse/index.js';
import { readVectorSdl, startVectorSubgraph } from './vector/index.js';

/** A subgraph of the mesh: how to generate its SDL (without a backend) and how to start it. */
export interface SubgraphEntry {
  readonly name: SubgraphName;
  /** The SDL the subgraph serves, as composition takes it. */
  generateSdl(config: MeshConfig): string;
  start(config: MeshConfig, logger: Logger): Promise<ServiceHandle>;
}

/** Every subgraph of the mesh, in the order `meshgate start` brings them up. */
export const SUBGRAPHS: readonly SubgraphEntry[] = [
  {
    name: 'warehouse',
    generateSdl: (config) => generateSubgraphSdl(readDataProduct(readWarehouseSdl()), { backend: 'warehouse', ...config.pagination }),
    start: startWarehouseSubgraph,
  },
  {
    name: 'lake',
    generateSdl: (config) => generateSubgraphSdl(readDataProduct(readLakeSdl()), { backend: 'lake', ...config.pagination }),
    start: startLakeSubgraph,
  },
  {
    name: 'vector',
    generateSdl: () => readVectorSdl(),
    start: startVectorSubgraph,
  },
  {
    name: 'inference',
    generateSdl: () => inferenceSdl(),
    start: startInferenceSubgraph,
  },
];

export function findSubgraph(name: string): SubgraphEntry | undefined {
  return SUBGRAPHS.find((entry) => entry.name === name);
}

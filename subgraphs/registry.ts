import type { MeshConfig, SubgraphName } from '../core/config/index.js';
import type { ServiceHandle } from '../core/http/service.js';
import type { Logger } from '../core/logger.js';
import type { BackendKind } from './kit/costWeights.js';
import { readLakeSdl, startLakeSubgraph } from './lake/index.js';
import { readWarehouseSdl, startWarehouseSubgraph } from './warehouse/index.js';

/** A subgraph of the mesh: where its domain SDL is and how to start it. */
export interface SubgraphEntry {
  readonly name: SubgraphName;
  readonly backendKind: BackendKind;
  readDomainSdl(): string;
  start(config: MeshConfig, logger: Logger): Promise<ServiceHandle>;
}

/** Every subgraph of the mesh, in the order `meshgate start` brings them up. */
export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'warehouse', backendKind: 'warehouse', readDomainSdl: readWarehouseSdl, start: startWarehouseSubgraph },
  { name: 'lake', backendKind: 'lake', readDomainSdl: readLakeSdl, start: startLakeSubgraph },
];

export function findSubgraph(name: string): SubgraphEntry | undefined {
  return SUBGRAPHS.find((entry) => entry.name === name);
}

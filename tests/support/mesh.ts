import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type ConfigInput, type MeshConfig } from '../../core/config/index.js';
import { createLogger } from '../../core/logger.js';
import { startMesh, type RunningMesh } from '../../gateway/mesh.js';
import { withEphemeralPorts } from '../../ops/bench/run.js';
import { runPipeline } from '../../ops/pipeline/index.js';

/** A mesh on a data folder of its own, every service on a port the kernel picks. */
export interface TestMesh {
  readonly config: MeshConfig;
  readonly mesh: RunningMesh;
  readonly dataDir: string;
  /** The gateway's GraphQL endpoint. */
  readonly graphqlUrl: string;
  serviceUrl(name: string): string;
  stop(): Promise<void>;
}

/** Builds a fresh data folder with the real pipeline and starts the whole mesh on it. */
export async function startTestMesh(overrides: ConfigInput = {}): Promise<TestMesh> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-test-'));
  const logger = createLogger({ level: 'silent' });
  const config = withEphemeralPorts(loadConfig({ env: {}, overrides: { ...overrides, dataDir } }));
  await runPipeline({ dataDir, logger });
  const mesh = await startMesh(config, logger, { skipPipeline: true });
  return {
    config,
    mesh,
    dataDir,
    graphqlUrl: `${mesh.gateway.url}/graphql`,
    serviceUrl: (name) => mesh.services.find((service) => service.name === name)?.url as string,
    stop: async () => {
      await mesh.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The response of one GraphQL POST: status and parsed body. */
export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[]; extensions?: Record<string, unknown> };
  return { status: response.status, body };
}

export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

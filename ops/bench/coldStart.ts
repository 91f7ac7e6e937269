import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { round } from './stats.js';

const BIN = path.join(__dirname, '..', '..', 'bin', 'meshgate');
const READY_TIMEOUT_MS = 300_000;

/** Returns a free TCP port on 127.0.0.1, picked by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

/** Seconds from spawning `meshgate start` on `dataDir` until the gateway's `/readyz` returns 200. */
export async function measureStart(dataDir: string, subgraphs: readonly string[]): Promise<number> {
  const gateway = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, MESHGATE_DATA_DIR: dataDir, MESHGATE_LOG__LEVEL: 'warn', MESHGATE_GATEWAY__PORT: String(gateway) };
  for (const name of subgraphs) env[`MESHGATE_SUBGRAPHS__${name.toUpperCase()}__PORT`] = String(await freePort());
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: 'ignore' });
  try {
    await waitUntilReady(`http://127.0.0.1:${gateway}/readyz`, Date.now() + READY_TIMEOUT_MS);
    return round((performance.now() - started) / 1000);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Cold start without a data folder (the pipeline runs first), then again with the folder built. */
export async function measureColdStarts(subgraphs: readonly string[]): Promise<{ withoutData: number; withData: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-bench-'));
  try {
    const withoutData = await measureStart(dataDir, subgraphs);
    const withData = await measureStart(dataDir, subgraphs);
    return { withoutData, withData };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

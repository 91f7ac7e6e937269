import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A meshgate service running in a child process, as `meshgate serve` runs it in a container. */
export interface ServiceProcess {
  readonly url: string;
  /** Log lines the service wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '../../..');

/**
 * Writes `config` to `configFile` and starts `meshgate serve <service>` on it, with `env` added to
 * the environment. Resolves with the URL the service logs once it listens; rejects with its output
 * when it exits before.
 */
export function startServiceProcess(service: string, config: object, configFile: string, env: Record<string, string>): Promise<ServiceProcess> {
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', service], {
    cwd: ROOT,
    env: { ...process.env, ...env, MESHGATE_CONFIG: configFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = parseLine(line);
      logs.push(entry);
      if (entry.msg === 'service listening') resolve({ url: String(entry.url), logs, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`meshgate serve ${service} exited with ${code}: ${stderr}${JSON.stringify(logs.slice(-5))}`)));
  });
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bumped whenever the pipeline changes what it writes, so older data folders are rebuilt. */
export const PIPELINE_VERSION = 1;

const STATE_FILE = 'pipeline.json';

/** What the last complete run built from which sources. */
export interface PipelineState {
  version: number;
  sources: Record<string, { size: number; mtimeMs: number }>;
  completedAt: string;
  rows: Record<string, number>;
}

export function readPipelineState(dataDir: string): PipelineState | undefined {
  const file = path.join(dataDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PipelineState;
  } catch {
    return undefined;
  }
}

export function writePipelineState(dataDir: string, state: PipelineState): void {
  const file = path.join(dataDir, STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Tells why the data folder must be rebuilt, or undefined when it is current. */
export function stalenessReason(state: PipelineState | undefined, sources: PipelineState['sources']): string | undefined {
  if (!state) return 'the data folder has not been built';
  if (state.version !== PIPELINE_VERSION) return `it was built by pipeline version ${state.version}, current is ${PIPELINE_VERSION}`;
  if (JSON.stringify(state.sources) !== JSON.stringify(sources)) return 'a source file changed';
  return undefined;
}

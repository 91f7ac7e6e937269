import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../core/logger.js';

export const REPO_POLICIES = path.resolve(__dirname, '../../../policies');

/** Copies the repository's policy folder into a fresh temp dir, so a test may edit it. */
export function copyPolicies(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'meshgate-policies-')), 'policies');
  cpSync(REPO_POLICIES, dir, { recursive: true });
  return dir;
}

/** A logger whose JSON lines are collected in `lines`, to check what is and is not logged. */
export function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphUrl, type MeshConfig } from '../core/config/index.js';
import { SUBGRAPHS } from '../subgraphs/registry.js';

export const SUPERGRAPH_FILE = 'supergraph.graphql';

/** One subgraph's generated SDL and routing URL, as composition takes them. */
export interface SubgraphSchema {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/** Generates every subgraph's SDL; no backend is needed. */
export function generateSubgraphSchemas(config: MeshConfig): SubgraphSchema[] {
  return SUBGRAPHS.map((entry) => ({
    name: entry.name,
    url: subgraphUrl(config, entry.name),
    sdl: entry.generateSdl(config),
  }));
}

/** Composition failed; the message lists every composition error. */
export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Composition failed:\n${messages.map((message) => `  - ${message}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/**
 * Composes the subgraphs into a supergraph SDL with `@apollo/composition`.
 *
 * @throws CompositionError with each error composition reports.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSchema[]): string {
  const result = composeServices(subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) })));
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}

/** The files `schema/` must hold: each subgraph's SDL and the supergraph. */
export function schemaFiles(config: MeshConfig): Map<string, string> {
  const subgraphs = generateSubgraphSchemas(config);
  const files = new Map(subgraphs.map((subgraph) => [`${subgraph.name}.graphql`, subgraph.sdl]));
  files.set(SUPERGRAPH_FILE, `${composeSupergraph(subgraphs)}\n`);
  return files;
}

export function writeSchemaFiles(schemaDir: string, files: ReadonlyMap<string, string>): void {
  for (const [name, content] of files) writeFileSync(path.join(schemaDir, name), content);
}

/** A checked-in schema file that differs from what composition produces now. */
export interface SchemaDifference {
  readonly file: string;
  /** Lines only in the checked-in file (`-`) or only in the generated one (`+`), at most 20. */
  readonly lines: string[];
}

/** Compares the checked-in schema files with freshly generated ones. */
export function diffSchemaFiles(schemaDir: string, files: ReadonlyMap<string, string>): SchemaDifference[] {
  const differences: SchemaDifference[] = [];
  for (const [name, expected] of files) {
    const file = path.join(schemaDir, name);
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (actual === expected) continue;
    differences.push({ file: path.join(path.basename(schemaDir), name), lines: actual === undefined ? ['(missing)'] : changedLines(actual, expected) });
  }
  return differences;
}

/** Lines that occur more often in one file than in the other, so a changed line shows even if it repeats. */
function changedLines(actual: string, expected: string): string[] {
  const counts = new Map<string, number>();
  for (const line of actual.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  for (const line of expected.split('\n')) counts.set(line, (counts.get(line) ?? 0) - 1);

  const removed = actual.split('\n').filter((line) => take(counts, line, 1)).map((line) => `- ${line}`);
  const added = expected.split('\n').filter((line) => take(counts, line, -1)).map((line) => `+ ${line}`);
  const lines = [...removed, ...added];
  if (lines.length === 0) lines.push('(the same lines in another order)');
  return lines.length > 20 ? [...lines.slice(0, 20), `… ${lines.length - 20} more changed lines`] : lines;
}

/** Takes one surplus occurrence of `line` on the side `sign` points to, if it has any left. */
function take(counts: Map<string, number>, line: string, sign: 1 | -1): boolean {
  const count = counts.get(line) ?? 0;
  if (count * sign <= 0) return false;
  counts.set(line, count - sign);
  return true;
}

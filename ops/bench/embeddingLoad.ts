import { readFileSync } from 'node:fs';
import { buildEmbeddingCache, loadEmbeddingModel } from '../../subgraphs/inference/embeddings/index.js';

/*
 * Child-process entry of the inference benchmark. It loads the embedding model once in a fresh
 * process and prints its load time and memory as one JSON line, so that no earlier allocation of
 * the benchmark skews the numbers.
 *
 *   node -r tsx/cjs ops/bench/embeddingLoad.ts warm <cache.bin>
 *   node -r tsx/cjs ops/bench/embeddingLoad.ts cold <package folder> <cache.bin to write>
 *
 * `warm` reads the binary cache. `cold` first parses the package's JSON of word vectors and
 * writes the cache, as the first run of `meshgate pipeline` does, then reads it.
 */

/** Time and memory of one model load, as the child prints it. */
export interface ModelLoadMeasurement {
  readonly seconds: number;
  /** Growth of the resident set across the load, in MiB. */
  readonly rssDeltaMiB: number;
  /** Growth of the V8 heap in use across the load, in MiB. */
  readonly heapDeltaMiB: number;
  /** Peak resident set of the whole process, in MiB. */
  readonly peakRssMiB: number;
  readonly vocabularySize: number;
}

const MIB = 2 ** 20;

function measureLoad(mode: string, files: string[]): ModelLoadMeasurement {
  const before = process.memoryUsage();
  const started = performance.now();

  if (mode === 'cold') buildEmbeddingCache(files[0], files[1]);
  const model = loadEmbeddingModel(mode === 'cold' ? files[1] : files[0]);

  const seconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  return {
    seconds,
    rssDeltaMiB: (after.rss - before.rss) / MIB,
    heapDeltaMiB: (after.heapUsed - before.heapUsed) / MIB,
    peakRssMiB: peakRssKiB() / 1024,
    vocabularySize: model.vocabularySize,
  };
}

/**
 * Reads the peak resident set in KiB. On Linux this is `VmHWM`, which starts afresh at `execve`.
 * `getrusage`'s `maxRSS` is kept across `execve`, so it can report the parent's size at `fork`.
 */
function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall back to getrusage below.
  }
  return process.resourceUsage().maxRSS;
}

if (require.main === module) {
  const [mode, ...files] = process.argv.slice(2);
  if ((mode !== 'warm' || files.length !== 1) && (mode !== 'cold' || files.length !== 2)) {
    throw new Error('Usage: embeddingLoad.ts warm <cache.bin> | cold <package folder> <cache.bin to write>');
  }
  process.stdout.write(`${JSON.stringify(measureLoad(mode, files))}\n`);
}

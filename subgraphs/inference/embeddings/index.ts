export { buildEmbeddingCache, type CacheBuildProgress } from './buildCache.js';
export { loadEmbeddingModel } from './loadModel.js';
export { EmbeddingModel, normalize, type EmbeddingResult } from './model.js';
export { type ModelInfo } from './cacheFormat.js';
export { createSifWeights, SIF_SMOOTHING } from './sifWeights.js';
export { splitCompound, tokenize } from './tokenize.js';

import type { GraphQLError } from 'graphql';
import type { FeatureFile, ModelCard } from '../../../subgraphs/inference/flightDelay/artifacts.js';
import { inferenceResolvers } from '../../../subgraphs/inference/resolvers.js';
import type { ServedModel } from '../../../subgraphs/inference/serving/catalog.js';
import type { Embedder } from '../../../subgraphs/inference/serving/embedder.js';
import type { Predictor } from '../../../subgraphs/inference/serving/predictor.js';

const FEATURES: FeatureFile = { inputName: 'features', outputName: 'delay', width: 46, encoding: { airports: ['ORD'], distanceMean: 0, distanceStandardDeviation: 1 } };

const MODEL: ServedModel = {
  name: 'flight_delay',
  version: '1',
  inputName: 'features',
  outputName: 'delay',
  inputWidth: 46,
  card: {} as ModelCard,
  features: FEATURES,
  onnxFile: 'unused.onnx',
};

/** Creates an embedder that records its calls, so a rejected request shows as no call at all. */
function recordingEmbedder(calls: string[][]): Embedder {
  return {
    embed: (texts) => {
      calls.push([...texts]);
      return Promise.resolve({ model: { name: 'stub', version: '1', dimension: 1 }, vectors: texts.map(() => [1]), oovCounts: null });
    },
  };
}

function embedWith(limits: { maxTexts: number; maxTextLength: number }, calls: string[][]) {
  const resolvers = inferenceResolvers({
    models: new Map([[MODEL.name, MODEL]]),
    predictor: {} as Predictor,
    embedder: recordingEmbedder(calls),
    limits: { ...limits, maxRows: 10 },
  });
  return (texts: string[]) => resolvers.Query.embed(undefined, { texts });
}

function errorOf(action: () => unknown): GraphQLError {
  try {
    action();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected embed to throw');
}

describe('embed limits', () => {
  it('rejects more texts than the maximum', () => {
    const calls: string[][] = [];
    const error = errorOf(() => embedWith({ maxTexts: 2, maxTextLength: 100 }, calls)(['a', 'b', 'c']));

    expect(error.message).toBe('`texts` has 3 texts; the maximum is 2.');
    expect(error.extensions.code).toBe('INVALID_EMBEDDING_INPUT');
    expect(error.extensions.maximum).toBe(2);
    expect(calls).toHaveLength(0);
  });

  it('rejects a text longer than the maximum', () => {
    const calls: string[][] = [];
    const error = errorOf(() => embedWith({ maxTexts: 5, maxTextLength: 10 }, calls)(['short', 'eleven char', 'ok']));

    expect(error.message).toBe('Text 1 has 11 characters; the maximum is 10.');
    expect(error.extensions.code).toBe('INVALID_EMBEDDING_INPUT');
    expect(error.extensions.maximum).toBe(10);
    expect(calls).toHaveLength(0);
  });

  it('rejects an empty list', () => {
    const error = errorOf(() => embedWith({ maxTexts: 5, maxTextLength: 10 }, [])([]));

    expect(error.message).toBe('`texts` is empty; give at least one text to embed.');
    expect(error.extensions.code).toBe('INVALID_EMBEDDING_INPUT');
  });

  it('accepts texts at both limits', async () => {
    const calls: string[][] = [];
    const texts = ['ten chars!', 'x'];
    await embedWith({ maxTexts: 2, maxTextLength: 10 }, calls)(texts);

    expect(calls).toEqual([texts]);
  });
});

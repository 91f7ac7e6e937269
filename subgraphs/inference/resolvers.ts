import DataLoader from 'dataloader';
import { errors } from '../../core/errors/index.js';
import { FLIGHT_DELAY_MODEL } from './flightDelay/artifacts.js';
import { FlightFeatureEncoder } from './flightDelay/features.js';
import { requestLoader } from '../kit/loaders.js';
import type { ServedModel } from './serving/catalog.js';
import type { Embedder } from './serving/embedder.js';
import type { Predictor } from './serving/predictor.js';

/** A `Flight` representation with the fields `predictedDelay` requires. */
interface FlightRepresentation {
  readonly id: string;
  readonly date: string;
  readonly distance: number | null;
  readonly origin: { readonly iata: string };
  readonly destination: { readonly iata: string };
}

export interface InferenceServices {
  readonly models: ReadonlyMap<string, ServedModel>;
  readonly predictor: Predictor;
  readonly embedder: Embedder;
  readonly limits: { readonly maxTexts: number; readonly maxTextLength: number; readonly maxRows: number };
}

/** Resolvers of the inference subgraph. */
export function inferenceResolvers(services: InferenceServices) {
  const flightModel = services.models.get(FLIGHT_DELAY_MODEL) as ServedModel;
  const encoder = new FlightFeatureEncoder(flightModel.features.encoding);

  // One loader per request collects every Flight of the `_entities` fetch, so a page of flights is one model run.
  const predictFlights = (flights: readonly FlightRepresentation[]) => predictDelays(services.predictor, flightModel, encoder, flights);

  return {
    Query: {
      embed: (_: unknown, args: { texts: string[] }) => {
        checkTexts(args.texts, services.limits);
        return services.embedder.embed(args.texts);
      },
      models: () => [...services.models.values()].map((model) => describeModel(model, services.predictor.runtime)),
      predict: (_: unknown, args: { model: string; inputs: number[][] }) => predict(services, args.model, args.inputs),
    },
    Flight: {
      __resolveReference: (reference: FlightRepresentation) => reference,
      predictedDelay: (flight: FlightRepresentation, _: unknown, context: object) =>
        requestLoader(context, 'inference:flightDelay', () => new DataLoader(predictFlights, { cacheKeyFn: (key) => key.id })).load(flight),
    },
  };
}

async function predictDelays(predictor: Predictor, model: ServedModel, encoder: FlightFeatureEncoder, flights: readonly FlightRepresentation[]) {
  const features = flights.map((flight) => ({ date: flight.date, distance: flight.distance, origin: flight.origin.iata, destination: flight.destination.iata }));
  const input = { data: encoder.encode(features), rows: flights.length, columns: encoder.width };
  const minutes = await predictor.predict(model, input);
  return Array.from(minutes, (value) => ({ minutes: value, model: model.name, version: model.version }));
}

function describeModel(model: ServedModel, runtime: string) {
  return {
    name: model.name,
    version: model.version,
    runtime,
    inputName: model.inputName,
    inputWidth: model.inputWidth,
    outputName: model.outputName,
    metrics: model.card.metrics,
  };
}

async function predict(services: InferenceServices, name: string, inputs: number[][]) {
  const model = services.models.get(name);
  if (!model) {
    const available = [...services.models.keys()];
    throw errors.MODEL_NOT_FOUND.error(`Model "${name}" is not served; served models: ${available.join(', ')}.`, { available });
  }
  checkInputShape(model, inputs, services.limits.maxRows);

  const data = new Float32Array(inputs.length * model.inputWidth);
  inputs.forEach((row, i) => data.set(row, i * model.inputWidth));
  const outputs = await services.predictor.predict(model, { data, rows: inputs.length, columns: model.inputWidth });
  return { model: model.name, version: model.version, outputs: Array.from(outputs, (value) => [value]) };
}

function checkInputShape(model: ServedModel, inputs: number[][], maxRows: number): void {
  const expected = `1 to ${maxRows} rows of ${model.inputWidth} numbers`;
  if (inputs.length === 0 || inputs.length > maxRows) {
    throw errors.INVALID_MODEL_INPUT.error(`Model "${model.name}" takes ${expected}; found ${inputs.length} rows.`, { expected, found: [inputs.length] });
  }
  const wrong = inputs.findIndex((row) => row.length !== model.inputWidth);
  if (wrong >= 0) {
    const found = [inputs.length, inputs[wrong].length];
    throw errors.INVALID_MODEL_INPUT.error(`Model "${model.name}" takes rows of ${model.inputWidth} numbers; row ${wrong} has ${inputs[wrong].length}.`, { expected, found });
  }
}

function checkTexts(texts: string[], limits: InferenceServices['limits']): void {
  if (texts.length === 0) {
    throw errors.INVALID_EMBEDDING_INPUT.error('`texts` is empty; give at least one text to embed.', { maximum: limits.maxTexts });
  }
  if (texts.length > limits.maxTexts) {
    throw errors.INVALID_EMBEDDING_INPUT.error(`\`texts\` has ${texts.length} texts; the maximum is ${limits.maxTexts}.`, { maximum: limits.maxTexts });
  }
  const long = texts.findIndex((text) => text.length > limits.maxTextLength);
  if (long >= 0) {
    throw errors.INVALID_EMBEDDING_INPUT.error(`Text ${long} has ${texts[long].length} characters; the maximum is ${limits.maxTextLength}.`, {
      maximum: limits.maxTextLength,
    });
  }
}

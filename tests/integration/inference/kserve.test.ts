import { postGraphQL } from '../../support/mesh.js';
import { FakeKServe } from './fakeKServe.js';
import { FEATURES, startRemoteSubgraph, type RemoteSubgraph } from './remoteSubgraph.js';

/** Column j weighs j / 10, so a prediction is the bias plus a tenth of the hot column numbers. */
const WEIGHTS = Array.from({ length: FEATURES.width }, (_, j) => j / 10);
const BIAS = 2;
const TIMEOUT_MS = 1500;

/**
 * Three flights and their predictions worked out by hand from the column layout: hour at 0–23,
 * weekday (Sunday first) at 24–30, month at 31–42, scaled distance at 43, origin at 44–46 and
 * destination at 47–49, with ORD, ATL, then "other" for the airports.
 */
const FLIGHTS = [
  // Sunday 05h, January, (1500 − 1000) / 500 = 1, ORD → ATL: 2 + (5 + 24 + 31 + 44 + 48) / 10 + 4.3 × 1.
  { flight: { id: '1', date: '2001-01-14T05:40:00', distance: 1500, origin: { iata: 'ORD' }, destination: { iata: 'ATL' } }, minutes: 21.5 },
  // Wednesday 18h, July, no distance, SFO (other) → ORD: 2 + (18 + 27 + 37 + 46 + 47) / 10.
  { flight: { id: '2', date: '2001-07-04T18:05:00', distance: null, origin: { iata: 'SFO' }, destination: { iata: 'ORD' } }, minutes: 19.5 },
  // Monday 23h, December, (250 − 1000) / 500 = −1.5, ATL → JFK (other): 2 + (23 + 25 + 42 + 45 + 49) / 10 − 4.3 × 1.5.
  { flight: { id: '3', date: '2001-12-31T23:59:00', distance: 250, origin: { iata: 'ATL' }, destination: { iata: 'JFK' } }, minutes: 13.95 },
];

const ENTITIES_QUERY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Flight { id predictedDelay { minutes model version } } }
}`;

const representations = FLIGHTS.map(({ flight }) => ({ __typename: 'Flight', ...flight }));

let kserve: FakeKServe;
let subgraph: RemoteSubgraph;
let inferUrl: string;

beforeAll(async () => {
  kserve = await FakeKServe.start([{ name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: WEIGHTS, bias: BIAS }]);
  subgraph = await startRemoteSubgraph({
    kserve: { url: kserve.url, timeoutMs: TIMEOUT_MS },
    // The embed field is not queried here; the OpenAI backend only spares building a word-vector cache.
    openai: { url: kserve.url, model: 'unused' },
  });
  inferUrl = `${kserve.url}/v2/models/flight_delay/infer`;
});

afterAll(async () => {
  await subgraph?.stop();
  await kserve?.stop();
});

beforeEach(() => {
  kserve.mode = 'serve';
  kserve.inferRequests.length = 0;
});

async function predictEntities() {
  return postGraphQL(subgraph.graphqlUrl, ENTITIES_QUERY, { representations });
}

describe('KServe v2 predictor', () => {
  it('predicts a batch of flights in one infer request', async () => {
    const { body } = await predictEntities();
    const entities = body.data?._entities as Array<{ id: string; predictedDelay: { minutes: number; model: string; version: string } }>;

    expect(body.errors).toBeUndefined();
    expect(entities.map((entity) => entity.id)).toEqual(['1', '2', '3']);
    FLIGHTS.forEach(({ minutes }, i) => expect(entities[i].predictedDelay.minutes).toBeCloseTo(minutes, 4));
    expect(entities[0].predictedDelay.model).toBe('flight_delay');
    expect(kserve.inferRequests).toHaveLength(1);
  });

  it('sends the batch as one FP32 tensor of shape [rows, width]', async () => {
    await predictEntities();
    const [request] = kserve.inferRequests;

    expect(request.inputs).toHaveLength(1);
    expect(request.inputs[0].name).toBe('features');
    expect(request.inputs[0].datatype).toBe('FP32');
    expect(request.inputs[0].shape).toEqual([3, 50]);
    expect(request.inputs[0].data).toHaveLength(150);
    expect(request.outputs).toEqual([{ name: 'delay' }]);
  });

  it('runs the predict query remotely', async () => {
    const row = Array.from({ length: FEATURES.width }, (_, j) => (j === 0 || j === 49 ? 1 : 0));
    const { body } = await postGraphQL(subgraph.graphqlUrl, 'query ($inputs: [[Float!]!]!) { predict(model: "flight_delay", inputs: $inputs) { outputs } }', {
      inputs: [row, row.map((value) => 2 * value)],
    });

    // 2 + (0 + 49) / 10 = 6.9 and 2 + 2 × 4.9 = 11.8.
    const outputs = (body.data?.predict as { outputs: number[][] }).outputs;
    expect(outputs).toHaveLength(2);
    expect(outputs[0][0]).toBeCloseTo(6.9, 4);
    expect(outputs[1][0]).toBeCloseTo(11.8, 4);
    expect(kserve.inferRequests).toHaveLength(1);
  });

  it('reports the server as the runtime', async () => {
    const { body } = await postGraphQL(subgraph.graphqlUrl, '{ models { name runtime } }');

    expect(body.data?.models).toEqual([{ name: 'flight_delay', runtime: `KServe v2 at ${kserve.url}` }]);
  });
});

describe('KServe v2 predictor failures', () => {
  it('turns HTTP 400 into MODEL_SERVER_FAILED', async () => {
    kserve.mode = 'reject';
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 400.`);
  });

  it('turns an unknown model into MODEL_SERVER_FAILED', async () => {
    const served = kserve.models;
    kserve.models = [];
    try {
      const { body } = await predictEntities();

      expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
      expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 404.`);
    } finally {
      kserve.models = served;
    }
  });

  it('rejects an output of the wrong shape', async () => {
    kserve.mode = 'wrongShape';
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} sent a malformed response: output "delay" has shape [3,2], expected [3,1].`);
  });

  it('times out a server that does not respond', async () => {
    kserve.mode = 'stall';
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} did not respond within ${TIMEOUT_MS} ms.`);
  });

  it('reports a server that cannot be reached', async () => {
    const unreachable = await startRemoteSubgraph({ kserve: { url: 'http://127.0.0.1:9' }, openai: { url: kserve.url, model: 'unused' } });
    try {
      const { body } = await postGraphQL(unreachable.graphqlUrl, ENTITIES_QUERY, { representations });

      expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_FAILED');
      expect(body.errors?.[0]?.message).toBe(
        'The model server at http://127.0.0.1:9/v2/models/flight_delay/infer could not be reached; check that it is running and that the URL is right.',
      );
    } finally {
      await unreachable.stop();
    }
  });
});

describe('KServe v2 model metadata', () => {
  const model = { name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: WEIGHTS, bias: BIAS };

  async function startupError(served: typeof model): Promise<string> {
    const fake = await FakeKServe.start([served]);
    try {
      const started = await startRemoteSubgraph({ kserve: { url: fake.url }, openai: { url: fake.url, model: 'unused' } });
      await started.stop();
      return 'started';
    } catch (error) {
      return (error as Error).message;
    } finally {
      await fake.stop();
    }
  }

  it('rejects a model without the input tensor', async () => {
    const message = await startupError({ ...model, inputName: 'input__0' });

    expect(message).toMatch(/^Model "flight_delay" on the KServe server at http:\/\/127\.0\.0\.1:\d+ does not fit: /);
    expect(message).toContain('it has no input "features"; its inputs are "input__0". Check inference.predictions.kserve.url');
  });

  it('rejects an input of another width', async () => {
    const message = await startupError({ ...model, weights: WEIGHTS.slice(1) });

    expect(message).toContain('input "features" is FP32 [-1,49], but the subgraph sends FP32 [-1,50].');
  });

  it('rejects a model without the output tensor', async () => {
    const message = await startupError({ ...model, outputName: 'output__0' });

    expect(message).toContain('it has no output "delay"; its outputs are "output__0".');
  });

  it('starts when the tensors fit', async () => {
    expect(await startupError(model)).toBe('started');
  });
});

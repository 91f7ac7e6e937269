import { postGraphQL } from '../../support/mesh.js';
import { FakeKServe } from './fakeKServe.js';
import { FEATURES, startRemoteSubgraph, type RemoteSubgraph } from './remoteSubgraph.js';

/** Column j weighs j / 10, so a prediction is the bias plus a tenth of the hot column numbers. */
const WEIGHTS = Array.from({ length: FEATURES.width }, (_, j) => j / 10);
const BIAS = 2;
const TIMEOUT_MS = 300;
/** Small delays keep the retries fast; two retries make three attempts. */
const RETRIES = { maxRetries: 2, retryBaseMs: 5, retryMaxDelayMs: 50 };
/** The fake's error message for a request it is too busy to serve. */
const BUSY = { status: 503, body: { error: 'model is busy' } };

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

type Entities = Array<{ id: string; predictedDelay: { minutes: number; model: string; version: string } } | null>;

let kserve: FakeKServe;
let subgraph: RemoteSubgraph;
let inferUrl: string;

beforeAll(async () => {
  kserve = await FakeKServe.start([{ name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: WEIGHTS, bias: BIAS }]);
  subgraph = await startRemoteSubgraph({
    kserve: { url: kserve.url, timeoutMs: TIMEOUT_MS, ...RETRIES },
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
  kserve.reset();
});

async function predictEntities() {
  return postGraphQL(subgraph.graphqlUrl, ENTITIES_QUERY, { representations });
}

describe('KServe v2 predictor', () => {
  it('predicts a batch of flights in one infer request', async () => {
    const { body } = await predictEntities();
    const entities = body.data?._entities as Entities;

    expect(body.errors).toBeUndefined();
    expect(entities.map((entity) => entity?.id)).toEqual(['1', '2', '3']);
    FLIGHTS.forEach(({ minutes }, i) => expect(entities[i]?.predictedDelay.minutes).toBeCloseTo(minutes, 4));
    expect(entities[0]?.predictedDelay.model).toBe('flight_delay');
    expect(kserve.inferRequests).toHaveLength(1);
  });

  it('sends the batch as one FP32 tensor of shape [rows, width]', async () => {
    await predictEntities();
    const [request] = kserve.inferRequests;

    expect(kserve.requestsTo('infer')[0].path).toBe('/v2/models/flight_delay/infer');
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

describe('KServe v2 infer retries', () => {
  it('retries HTTP 503 and then predicts', async () => {
    kserve.faults.add('infer', BUSY);
    const { body } = await predictEntities();
    const entities = body.data?._entities as Entities;

    expect(body.errors).toBeUndefined();
    expect(entities[0]?.predictedDelay.minutes).toBeCloseTo(FLIGHTS[0].minutes, 4);
    expect(kserve.inferRequests).toHaveLength(2);
  });

  it('sends the same request again', async () => {
    kserve.faults.add('infer', BUSY);
    await predictEntities();
    const [first, second] = kserve.inferRequests;

    expect(second).toEqual(first);
  });

  it('retries a reset connection', async () => {
    kserve.faults.add('infer', 'reset');
    const { body } = await predictEntities();

    expect(body.errors).toBeUndefined();
    expect(kserve.inferRequests).toHaveLength(2);
  });

  it('retries an attempt that timed out', async () => {
    kserve.faults.add('infer', 'stall');
    const { body } = await predictEntities();

    expect(body.errors).toBeUndefined();
    expect(kserve.inferRequests).toHaveLength(2);
  });

  it('retries HTTP 429, 502 and 504', async () => {
    kserve.faults.add('infer', { status: 429 }, { status: 502 });
    const first = await predictEntities();
    kserve.faults.add('infer', { status: 504 });
    const second = await predictEntities();

    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    expect(kserve.inferRequests).toHaveLength(5);
  });

  it('gives up after maxRetries retries', async () => {
    // A fourth attempt would succeed, so the error shows that the third was the last.
    kserve.faults.add('infer', BUSY, BUSY, BUSY);
    const { body } = await predictEntities();

    expect(kserve.inferRequests).toHaveLength(3);
    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
    expect(body.errors?.[0]?.extensions?.status).toBe(503);
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 503 (3 attempts): model is busy.`);
  });

  it('does not retry HTTP 400', async () => {
    kserve.mode = 'reject';
    const { body } = await predictEntities();

    expect(kserve.inferRequests).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
  });

  it('does not retry HTTP 500', async () => {
    kserve.faults.add('infer', { status: 500, body: { error: 'CUDA error: out of memory' } });
    const { body } = await predictEntities();

    expect(kserve.inferRequests).toHaveLength(1);
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 500: CUDA error: out of memory.`);
  });
});

describe('KServe v2 predictor failures', () => {
  it("ends an HTTP 400 with the server's message", async () => {
    kserve.mode = 'reject';
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
    expect(body.errors?.[0]?.extensions?.status).toBe(400);
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 400: unexpected shape for input, model expects [-1,50].`);
  });

  it('reports an unknown model as HTTP 404', async () => {
    const served = kserve.models;
    kserve.models = [];
    try {
      const { body } = await predictEntities();

      expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_ERROR');
      expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} returned HTTP 404: Request for unknown model: 'flight_delay' is not found.`);
    } finally {
      kserve.models = served;
    }
  });

  it('rejects an output of the wrong shape', async () => {
    kserve.mode = 'wrongShape';
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_MALFORMED_RESPONSE');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} sent a malformed response: output "delay" has shape [3,2], expected [3,1].`);
  });

  it('rejects a body that is not JSON', async () => {
    kserve.faults.add('infer', { status: 200 });
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_MALFORMED_RESPONSE');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} sent a malformed response: the body is not JSON.`);
  });

  it('times out a server that does not respond', async () => {
    kserve.faults.add('infer', 'stall', 'stall', 'stall');
    const { body } = await predictEntities();

    expect(kserve.inferRequests).toHaveLength(3);
    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_TIMEOUT');
    expect(body.errors?.[0]?.message).toBe(`The model server at ${inferUrl} did not respond within ${TIMEOUT_MS} ms (3 attempts).`);
  });

  it('reports connections closed on every attempt', async () => {
    kserve.faults.add('infer', 'reset', 'reset', 'reset');
    const { body } = await predictEntities();

    expect(body.errors?.[0]?.extensions?.code).toBe('MODEL_SERVER_UNREACHABLE');
    expect(body.errors?.[0]?.message).toBe(
      `The model server at ${inferUrl} closed the connection before responding (3 attempts); check that it is running and that the URL is right.`,
    );
  });
});

describe('KServe v2 model metadata', () => {
  const model = { name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: WEIGHTS, bias: BIAS };

  async function startupError(served: typeof model): Promise<string> {
    const fake = await FakeKServe.start([served]);
    try {
      const started = await startRemoteSubgraph({ kserve: { url: fake.url, ...RETRIES }, openai: { url: fake.url, model: 'unused' } });
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

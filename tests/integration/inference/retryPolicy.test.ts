import type { GraphQLError } from 'graphql';
import { KServePredictor, type KServeOptions } from '../../../subgraphs/inference/clients/kserve.js';
import { captureLog, type CapturedLog } from './fakeHttp.js';
import { FakeKServe } from './fakeKServe.js';

const WIDTH = 3;
const MODEL = { name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: [1, 2, 3], bias: 0 };
const TENSORS = { name: 'flight_delay', inputName: 'features', outputName: 'delay', inputWidth: WIDTH };
/** One row whose value 4242 is easy to look for in the log: 4242 × (1 + 2 + 3) = 25452. */
const INPUT = { data: Float32Array.from([4242, 4242, 4242]), rows: 1, columns: WIDTH };
const PREDICTION = 25_452;

let kserve: FakeKServe;
let log: CapturedLog;
let inferUrl: string;

beforeEach(async () => {
  kserve = await FakeKServe.start([MODEL]);
  log = captureLog();
  inferUrl = `${kserve.url}/v2/models/flight_delay/infer`;
});

afterEach(async () => {
  await kserve.stop();
});

/** Connects a predictor with small delays; `overrides` change single bounds. */
async function connect(overrides: Partial<KServeOptions> = {}): Promise<KServePredictor> {
  const options: KServeOptions = {
    url: kserve.url,
    timeoutMs: 1000,
    maxRetries: 2,
    retryBaseMs: 5,
    retryMaxDelayMs: 50,
    totalTimeoutMs: 10_000,
    readyTimeoutMs: 1000,
    readyPollMs: 60_000,
    logger: log.logger,
    ...overrides,
  };
  return KServePredictor.connect(options, [TENSORS]);
}

/** Runs one prediction and returns its value, or the error it failed with. */
async function predictOnce(predictor: KServePredictor): Promise<number | GraphQLError> {
  try {
    const [value] = await predictor.predict(MODEL, INPUT);
    return value;
  } catch (error) {
    return error as GraphQLError;
  } finally {
    await predictor.close();
  }
}

function retryLines(): Array<Record<string, unknown>> {
  return log.lines().filter((line) => line.msg === 'retrying model server request');
}

describe('Retry-After', () => {
  it('waits the delay of a 503', async () => {
    kserve.faults.add('infer', { status: 503, headers: { 'retry-after': '1' } });
    const result = await predictOnce(await connect({ retryMaxDelayMs: 5000 }));
    const [first, second] = kserve.requestsTo('infer');

    expect(result).toBe(PREDICTION);
    expect(retryLines()[0].delayMs).toBe(1000);
    // Timers may fire a millisecond early against Date.now(), hence 990 rather than 1000.
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(990);
  });

  it('caps a long delay at retryMaxDelayMs', async () => {
    kserve.faults.add('infer', { status: 429, headers: { 'retry-after': '3600' } });
    const result = await predictOnce(await connect({ retryMaxDelayMs: 50 }));

    expect(result).toBe(PREDICTION);
    expect(retryLines()[0].delayMs).toBe(50);
  });

  it('reads an HTTP date', async () => {
    kserve.faults.add('infer', { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' } });
    const result = await predictOnce(await connect());

    expect(result).toBe(PREDICTION);
    expect(retryLines()[0].delayMs).toBe(0);
  });

  it('does not retry past totalTimeoutMs', async () => {
    kserve.faults.add('infer', { status: 503, headers: { 'retry-after': '1' }, body: { error: 'overloaded' } });
    const result = (await predictOnce(await connect({ retryMaxDelayMs: 5000, totalTimeoutMs: 1000 }))) as GraphQLError;

    expect(kserve.requestsTo('infer')).toHaveLength(1);
    expect(result.extensions.code).toBe('MODEL_SERVER_ERROR');
    expect(result.message).toBe(`The model server at ${inferUrl} returned HTTP 503: overloaded.`);
  });
});

describe('total time bound', () => {
  it('cuts the last attempt short', async () => {
    // 300 ms for the first attempt, a few for the delay, and the rest of the 400 ms for the second.
    kserve.faults.add('infer', 'stall', 'stall', 'stall');
    const result = (await predictOnce(await connect({ timeoutMs: 300, totalTimeoutMs: 400 }))) as GraphQLError;

    expect(kserve.requestsTo('infer')).toHaveLength(2);
    expect(result.extensions.code).toBe('MODEL_SERVER_TIMEOUT');
  });
});

describe('retry logs', () => {
  it('logs each retry at warn', async () => {
    kserve.faults.add('infer', { status: 503 }, 'reset');
    await predictOnce(await connect());
    const [first, second] = retryLines();

    expect(retryLines()).toHaveLength(2);
    expect(first).toMatchObject({ level: 40, url: inferUrl, attempt: 1, maxAttempts: 3, reason: 'HTTP 503' });
    expect(second).toMatchObject({ level: 40, url: inferUrl, attempt: 2, maxAttempts: 3, reason: 'connection closed (UND_ERR_SOCKET)' });
  });

  it('keeps the request body out of the log', async () => {
    kserve.faults.add('infer', { status: 503 }, { status: 503 }, { status: 503 });
    await predictOnce(await connect());

    expect(log.text()).toContain('model server returned an error');
    expect(log.text()).not.toContain('4242');
  });
});

describe('server that stops', () => {
  it('reports it unreachable after every attempt', async () => {
    const stopping = await FakeKServe.start([MODEL]);
    const url = stopping.url;
    const predictor = await connect({ url });
    await stopping.stop();
    const result = (await predictOnce(predictor)) as GraphQLError;

    expect(result.extensions.code).toBe('MODEL_SERVER_UNREACHABLE');
    expect(result.message).toBe(
      `The model server at ${url}/v2/models/flight_delay/infer could not be reached (3 attempts); check that it is running and that the URL is right.`,
    );
    // The first attempt may go out on a pooled connection that the stopped server closed, so only the count is fixed.
    expect(retryLines()).toHaveLength(2);
  });
});

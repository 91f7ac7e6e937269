import { setTimeout as sleep } from 'node:timers/promises';
import { KServePredictor, type KServeOptions } from '../../../subgraphs/inference/clients/kserve.js';
import { postGraphQL } from '../../support/mesh.js';
import { captureLog, type CapturedLog } from './fakeHttp.js';
import { FakeKServe } from './fakeKServe.js';
import { FEATURES, startRemoteSubgraph, type RemoteBackends } from './remoteSubgraph.js';

const MODEL = { name: 'flight_delay', inputName: 'features', outputName: 'delay', weights: Array<number>(FEATURES.width).fill(0.5), bias: 1 };
const TENSORS = { name: 'flight_delay', inputName: 'features', outputName: 'delay', inputWidth: FEATURES.width };
/** Short intervals keep the waits fast; two retries make three attempts. */
const FAST = { maxRetries: 2, retryBaseMs: 5, retryMaxDelayMs: 50, readyPollMs: 10 };
const PREDICT_QUERY = 'query ($inputs: [[Float!]!]!) { predict(model: "flight_delay", inputs: $inputs) { outputs } }';

let kserve: FakeKServe;

beforeEach(async () => {
  kserve = await FakeKServe.start([MODEL]);
});

afterEach(async () => {
  await kserve.stop();
});

function backends(kserveConfig: Omit<RemoteBackends['kserve'], 'url'>): RemoteBackends {
  return { kserve: { url: kserve.url, ...FAST, ...kserveConfig }, openai: { url: kserve.url, model: 'unused' } };
}

/** Starts the subgraph and stops it again, returning the startup error's message or "started". */
async function startupOutcome(config: Omit<RemoteBackends['kserve'], 'url'>, log?: CapturedLog): Promise<string> {
  try {
    const subgraph = await startRemoteSubgraph(backends(config), log?.logger);
    await subgraph.stop();
    return 'started';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Resolves once `condition` holds; the jest timeout bounds the wait. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe('KServe v2 startup wait', () => {
  it('waits for the server, then the model', async () => {
    kserve.notReadyChecks = { server: 2, model: 3 };
    const outcome = await startupOutcome({ readyTimeoutMs: 10_000 });

    // Each check requests the server's readiness first, and the model's only once the server is ready.
    // The metadata request follows the last check.
    expect(outcome).toBe('started');
    expect(kserve.routeLog().slice(0, 11)).toEqual([
      'serverReady',
      'serverReady',
      'serverReady', 'modelReady',
      'serverReady', 'modelReady',
      'serverReady', 'modelReady',
      'serverReady', 'modelReady',
      'metadata',
    ]);
  });

  it('logs each check that is not ready', async () => {
    kserve.notReadyChecks = { server: 2, model: 3 };
    const log = captureLog();
    await startupOutcome({ readyTimeoutMs: 10_000 }, log);
    const waiting = log.lines().filter((line) => line.msg === 'waiting for model server');
    const ready = log.lines().find((line) => line.msg === 'model server ready');

    expect(waiting.map((line) => line.check)).toEqual([1, 2, 3, 4, 5]);
    expect(waiting[0].reason).toBe(`${kserve.url}/v2/health/ready returned HTTP 400`);
    expect(waiting[4].reason).toBe(`${kserve.url}/v2/models/flight_delay/ready returned HTTP 400`);
    expect(ready?.checks).toBe(6);
  });

  it('fails startup after readyTimeoutMs', async () => {
    kserve.notReadyChecks = { server: 0, model: Infinity };
    const outcome = await startupOutcome({ readyTimeoutMs: 100 });

    expect(outcome).toBe(
      `The KServe server at ${kserve.url} was not ready within 100 ms. Last check: ${kserve.url}/v2/models/flight_delay/ready returned HTTP 400. ` +
        'If the server needs longer to load its models, raise inference.predictions.kserve.readyTimeoutMs.',
    );
    expect(kserve.requestsTo('metadata')).toHaveLength(0);
  });

  it('fails startup without a server', async () => {
    const stopped = await FakeKServe.start([MODEL]);
    const url = stopped.url;
    await stopped.stop();
    const outcome = await startRemoteSubgraph({ kserve: { url, ...FAST, readyTimeoutMs: 0 }, openai: { url, model: 'unused' } }).then(
      () => 'started',
      (error: Error) => error.message,
    );

    expect(outcome).toBe(
      `The KServe server at ${url} was not ready within 0 ms. Last check: The model server at ${url}/v2/health/ready could not be reached (3 attempts); ` +
        'check that it is running and that the URL is right. If the server needs longer to load its models, raise inference.predictions.kserve.readyTimeoutMs.',
    );
  });

  it('retries a readiness check that returns 503', async () => {
    kserve.faults.add('modelReady', { status: 503, body: { error: 'Model with name flight_delay is not ready.' } });
    const outcome = await startupOutcome({ readyTimeoutMs: 0 });

    expect(outcome).toBe('started');
    expect(kserve.requestsTo('modelReady')).toHaveLength(2);
  });

  it('quotes the message of a lasting 503', async () => {
    const loading = { status: 503, body: { error: 'Model with name flight_delay is not ready.' } };
    kserve.faults.add('modelReady', loading, loading, loading);
    const outcome = await startupOutcome({ readyTimeoutMs: 0 });

    expect(outcome).toContain(`Last check: ${kserve.url}/v2/models/flight_delay/ready returned HTTP 503 (Model with name flight_delay is not ready.).`);
  });

  it('reads "ready": false in a 200 body', async () => {
    kserve.faults.add('modelReady', { status: 200, body: { name: 'flight_delay', ready: false } });
    const outcome = await startupOutcome({ readyTimeoutMs: 0 });

    expect(outcome).toContain(`Last check: ${kserve.url}/v2/models/flight_delay/ready returned "ready": false.`);
  });
});

describe('KServe v2 model version', () => {
  it('names the version in every model route', async () => {
    const subgraph = await startRemoteSubgraph(backends({ version: '3' }));
    try {
      await postGraphQL(subgraph.graphqlUrl, PREDICT_QUERY, { inputs: [Array<number>(FEATURES.width).fill(0)] });
    } finally {
      await subgraph.stop();
    }

    expect(kserve.requestsTo('modelReady')[0].path).toBe('/v2/models/flight_delay/versions/3/ready');
    expect(kserve.requestsTo('metadata')[0].path).toBe('/v2/models/flight_delay/versions/3');
    expect(kserve.requestsTo('infer')[0].path).toBe('/v2/models/flight_delay/versions/3/infer');
  });

  it('takes a version given as a number', async () => {
    // A MESHGATE_* variable such as …__VERSION=3 arrives as the JSON number 3.
    const outcome = await startupOutcome({ version: 3 });

    expect(outcome).toBe('started');
    expect(kserve.requestsTo('modelReady')[0].path).toBe('/v2/models/flight_delay/versions/3/ready');
  });

  it('fails startup on a version the server lacks', async () => {
    const outcome = await startupOutcome({ version: '7', readyTimeoutMs: 0 });

    expect(outcome).toContain(`Last check: ${kserve.url}/v2/models/flight_delay/versions/7/ready returned HTTP 404 (Request for unknown model: 'flight_delay' is not found).`);
  });
});

describe('KServe v2 readiness while serving', () => {
  let log: CapturedLog;
  let predictor: KServePredictor;

  beforeEach(async () => {
    log = captureLog();
    const options: KServeOptions = { url: kserve.url, timeoutMs: 1000, totalTimeoutMs: 3000, readyTimeoutMs: 1000, ...FAST, logger: log.logger };
    predictor = await KServePredictor.connect(options, [TENSORS]);
  });

  afterEach(async () => {
    await predictor.close();
  });

  it('is ready after connecting', () => {
    expect(predictor.ready).toBe(true);
  });

  it('turns not ready with the model', async () => {
    kserve.notReadyChecks = { server: 0, model: Infinity };
    await eventually(() => !predictor.ready);
    const warning = log.lines().find((line) => line.msg === 'model server not ready');

    expect(warning?.level).toBe(40);
    expect(warning?.reason).toBe(`${kserve.url}/v2/models/flight_delay/ready returned HTTP 400`);
  });

  it('turns ready again with the model', async () => {
    kserve.notReadyChecks = { server: 0, model: Infinity };
    await eventually(() => !predictor.ready);
    kserve.notReadyChecks = { server: 0, model: 0 };
    await eventually(() => predictor.ready);

    expect(log.lines().filter((line) => line.msg === 'model server ready again')).toHaveLength(1);
  });
});

describe('inference subgraph /readyz', () => {
  async function readyzStatus(serviceUrl: string): Promise<number> {
    return (await fetch(`${serviceUrl}/readyz`)).status;
  }

  it('follows the model server readiness', async () => {
    const subgraph = await startRemoteSubgraph(backends({ timeoutMs: 1000 }));
    try {
      expect(await readyzStatus(subgraph.service.url)).toBe(200);

      kserve.notReadyChecks = { server: 0, model: Infinity };
      let status = 200;
      while (status === 200) status = await readyzStatus(subgraph.service.url);
      expect(status).toBe(503);

      kserve.notReadyChecks = { server: 0, model: 0 };
      while (status === 503) status = await readyzStatus(subgraph.service.url);
      expect(status).toBe(200);
    } finally {
      await subgraph.stop();
    }
  });
});

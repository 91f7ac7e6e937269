import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '../../../core/errors/index.js';
import { getStatus, type HttpStatus, type RequestOptions } from './http.js';
import { modelUrl, serverReadyUrl, type ModelRef } from './kserveRoutes.js';
import { readServerMessage } from './serverErrors.js';

/** Whether a server and its models can serve predictions, and what is not ready when they cannot. */
export interface Readiness {
  readonly ready: boolean;
  /** The first route that did not report ready and what it returned; empty when ready. */
  readonly reason: string;
}

/** How long the subgraph waits at startup for the server, and how often it checks. */
export interface ReadinessWait {
  readonly readyTimeoutMs: number;
  readonly readyPollMs: number;
}

/**
 * Checks that a KServe v2 server is ready (`GET /v2/health/ready`) and then that each model is
 * (`GET /v2/models/{name}[/versions/{version}]/ready`). Ready means HTTP 2xx and no
 * `"ready": false` in the body. The protocol reports readiness with the status (Triton sends 200
 * or 400 with an empty body), and KServe's own server also sends `{"ready": …}`, with 503 for a
 * model that is still loading.
 */
export async function checkReadiness(baseUrl: string, models: readonly ModelRef[], options: RequestOptions): Promise<Readiness> {
  const urls = [serverReadyUrl(baseUrl), ...models.map((model) => `${modelUrl(baseUrl, model)}/ready`)];
  for (const url of urls) {
    const reason = await findNotReady(url, options);
    if (reason !== undefined) return { ready: false, reason };
  }
  return { ready: true, reason: '' };
}

/**
 * Checks readiness every `readyPollMs` until the server and every model are ready, logging each
 * check that is not at info, so that a slow model load shows in the log.
 *
 * @throws Error naming the server, `readyTimeoutMs` and the last reason when they are not ready in
 *   time; a `readyTimeoutMs` of 0 checks once
 */
export async function waitUntilReady(baseUrl: string, models: readonly ModelRef[], options: RequestOptions & ReadinessWait): Promise<void> {
  const started = Date.now();
  for (let check = 1; ; check += 1) {
    const readiness = await checkReadiness(baseUrl, models, options);
    const elapsedMs = Date.now() - started;
    if (readiness.ready) {
      options.logger.info({ url: baseUrl, checks: check, elapsedMs }, 'model server ready');
      return;
    }
    if (elapsedMs + options.readyPollMs > options.readyTimeoutMs) {
      throw new Error(
        `The KServe server at ${baseUrl} was not ready within ${options.readyTimeoutMs} ms. Last check: ${readiness.reason}. ` +
          'If the server needs longer to load its models, raise inference.predictions.kserve.readyTimeoutMs.',
      );
    }

    options.logger.info({ url: baseUrl, check, elapsedMs, readyTimeoutMs: options.readyTimeoutMs, reason: readiness.reason }, 'waiting for model server');
    await sleep(options.readyPollMs);
  }
}

/** Returns what a readiness route returned when it does not report ready, or undefined when it does. */
async function findNotReady(url: string, options: RequestOptions): Promise<string | undefined> {
  let response: HttpStatus;
  try {
    response = await getStatus(url, options);
  } catch (error) {
    if (errors.MODEL_SERVER_TIMEOUT.matches(error) || errors.MODEL_SERVER_UNREACHABLE.matches(error)) return (error as Error).message.replace(/\.$/, '');
    throw error;
  }

  if (response.status < 200 || response.status > 299) {
    const message = readServerMessage(response.body);
    return `${url} returned HTTP ${response.status}${message === undefined ? '' : ` (${message})`}`;
  }
  return reportsNotReady(response.body) ? `${url} returned "ready": false` : undefined;
}

function reportsNotReady(body: string): boolean {
  try {
    return (JSON.parse(body) as { ready?: unknown } | null)?.ready === false;
  } catch {
    return false;
  }
}

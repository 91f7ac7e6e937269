import { Supergraph } from '@apollo/federation-internals';
import { envelop, useEngine, useSchema, type Plugin } from '@envelop/core';
import { parse, specifiedRules, subscribe, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createLogger } from '../../core/logger.js';
import { issueDevToken } from '../../gateway/auth/index.js';
import { engineArgumentResolver } from '../../gateway/governance/engineNaming.js';
import { principalFromContext } from '../../gateway/governance/principal.js';
import { readMaskCatalog, useMasking } from '../../gateway/masking/index.js';
import { CedarDecider, fieldResource, findPersona, loadPersonas, personaPrincipal, PolicyStore, readSupergraphFields } from '../../gateway/policy/index.js';
import { round } from './stats.js';

/** The 100-row response of the masking benchmark; `operator`, `costTotal` and `costRepair` are masked for the analyst. */
export const MASKED_ROWS_QUERY = '{ birdstrikes(first: 100) { nodes { id airportName operator costTotal costRepair } } }';

export interface MaskingBenchmarkOptions {
  /** The gateway's GraphQL endpoint, with the governance extension on. */
  readonly gatewayUrl: string;
  readonly dataDir: string;
  readonly supergraphSdl: string;
  readonly policiesDir: string;
  readonly issuer: string;
  readonly audience: string;
  readonly iterations: number;
}

interface Throughput {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * Measures masking on against masking off for the 100-row response, through envelop with an engine
 * that returns the gateway's real raw response, so that only masking differs; the same query over
 * HTTP for a persona that sees raw values and one that sees three masked fields; and Cedar decisions
 * per second with an empty and a warm decision cache. Returns a markdown section.
 */
export async function measureMasking(options: MaskingBenchmarkOptions): Promise<string> {
  const tokens = { analyst: await tokenOf('analyst', options), auditor: await tokenOf('auditor', options) };
  const rawResult = await postAs(options.gatewayUrl, tokens.auditor);
  const inProcess = await measureInProcess(options, rawResult);
  const http = {
    raw: await measure(options.iterations, () => postAs(options.gatewayUrl, tokens.auditor)),
    masked: await measure(options.iterations, () => postAs(options.gatewayUrl, tokens.analyst)),
  };
  const decisions = measureDecisions(options);
  return report(options.iterations, inProcess, http, decisions);
}

async function tokenOf(persona: string, options: MaskingBenchmarkOptions): Promise<string> {
  return issueDevToken(persona, { dataDir: options.dataDir, issuer: options.issuer, audience: options.audience });
}

async function postAs(url: string, token: string): Promise<ExecutionResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: MASKED_ROWS_QUERY }),
  });
  const body = (await response.json()) as ExecutionResult;
  if (response.status !== 200 || body.errors !== undefined) throw new Error(`masking benchmark query failed with status ${response.status}`);
  return body;
}

async function measureInProcess(options: MaskingBenchmarkOptions, rawResult: ExecutionResult) {
  const schema = Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const store = PolicyStore.load({ dir: options.policiesDir, logger: createLogger({ level: 'silent' }) });
  const masking = useMasking<Record<string, unknown>>({
    catalog: readMaskCatalog(options.supergraphSdl),
    decider: new CedarDecider(store),
    getPrincipal: principalFromContext,
    argumentCoordinates: engineArgumentResolver(options.supergraphSdl),
    logger: createLogger({ level: 'silent' }),
  });
  const principal = personaPrincipal(findPersona(loadPersonas(`${options.policiesDir}/personas.json`), 'analyst'));
  const off = envelopRunner(schema, rawResult, []);
  const on = envelopRunner(schema, rawResult, [masking as Plugin<Record<string, unknown>>]);
  const context = { principal };

  // Alternate the two runs so that both see the same machine load.
  const samples = { off: [] as number[], on: [] as number[] };
  for (let i = 0; i < options.iterations + 20; i += 1) {
    const offMs = await timeOnce(() => off(context));
    const onMs = await timeOnce(() => on(context));
    if (i >= 20) {
      samples.off.push(offMs);
      samples.on.push(onMs);
    }
  }
  return { off: throughputOf(samples.off), on: throughputOf(samples.on) };
}

function envelopRunner(schema: GraphQLSchema, rawResult: ExecutionResult, plugins: Plugin<Record<string, unknown>>[]) {
  const execute = async () => structuredClone(rawResult);
  const getEnveloped = envelop({ plugins: [useEngine({ parse, validate, specifiedRules, execute, subscribe }), useSchema(schema), ...plugins] });
  const document = parse(MASKED_ROWS_QUERY);
  return async (context: Record<string, unknown>) => {
    const enveloped = getEnveloped(context);
    return enveloped.execute({ schema, document, contextValue: context });
  };
}

async function measure(iterations: number, body: () => Promise<unknown>): Promise<Throughput> {
  for (let i = 0; i < 5; i += 1) await body();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) samples.push(await timeOnce(body));
  return throughputOf(samples);
}

async function timeOnce(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

function throughputOf(samples: readonly number[]): Throughput {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return { perSecond: Math.round((sorted.length * 1000) / total), p50: round(at(0.5), 3), p99: round(at(0.99), 3) };
}

/** Decisions per second of every persona × governed field × action, with an empty cache each round and with a warm one. */
function measureDecisions(options: MaskingBenchmarkOptions): { cold: number; warm: number; perRound: number } {
  const store = PolicyStore.load({ dir: options.policiesDir, logger: createLogger({ level: 'silent' }) });
  const personas = loadPersonas(`${options.policiesDir}/personas.json`);
  const principals = personas.map((persona) => personaPrincipal(persona));
  const resources = readSupergraphFields(options.supergraphSdl).map((field) => fieldResource(field.coordinate, field.tags, field.subgraph));
  const requests = principals.flatMap((principal) => resources.flatMap((resource) => (['read', 'unmask', 'filter'] as const).map((action) => ({ principal, action, resource }))));
  const rounds = 20;

  const logger = createLogger({ level: 'silent' });
  let started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    const decider = new CedarDecider(store, { logger });
    for (const request of requests) decider.decide(request.principal, request.action, request.resource);
  }
  const cold = (rounds * requests.length * 1000) / (performance.now() - started);

  const warmDecider = new CedarDecider(store, { logger });
  for (const request of requests) warmDecider.decide(request.principal, request.action, request.resource);
  started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const request of requests) warmDecider.decide(request.principal, request.action, request.resource);
  }
  const warm = (rounds * requests.length * 1000) / (performance.now() - started);
  return { cold: Math.round(cold), warm: Math.round(warm), perRound: requests.length };
}

function report(
  iterations: number,
  inProcess: { off: Throughput; on: Throughput },
  http: { raw: Throughput; masked: Throughput },
  decisions: { cold: number; warm: number; perRound: number },
): string {
  const slowdown = round((inProcess.off.perSecond / inProcess.on.perSecond - 1) * 100, 1);
  return [
    '## Masking a 100-row response',
    '',
    `\`${MASKED_ROWS_QUERY}\`, ${iterations} runs each after untimed warm-up runs; times in milliseconds.`,
    '',
    'Envelop with an engine that returns the gateway\'s raw response, so only the masking plugin differs (analyst: `operator`, `costTotal` and `costRepair` masked, decision cache warm). Goal: under 5% slower.',
    '',
    '| masking | operations/s | p50 | p99 |',
    '|---|---|---|---|',
    `| off | ${inProcess.off.perSecond} | ${inProcess.off.p50} | ${inProcess.off.p99} |`,
    `| on | ${inProcess.on.perSecond} | ${inProcess.on.p50} | ${inProcess.on.p99} |`,
    '',
    `Masking on is ${slowdown}% slower in operations per second of envelop alone; the ${round(inProcess.on.p50 - inProcess.off.p50, 3)} ms it adds at p50 ` +
      `is ${round(((inProcess.on.p50 - inProcess.off.p50) / http.masked.p50) * 100, 1)}% of the p50 of the whole request through the gateway below.`,
    '',
    'The same query through the gateway over HTTP, masking on for both callers:',
    '',
    '| caller | requests/s | p50 | p99 |',
    '|---|---|---|---|',
    `| auditor (raw values) | ${http.raw.perSecond} | ${http.raw.p50} | ${http.raw.p99} |`,
    `| analyst (three fields masked) | ${http.masked.perSecond} | ${http.masked.p50} | ${http.masked.p99} |`,
    '',
    `Cedar decisions per second over every persona × governed field × action (${decisions.perRound} per round): ` +
      `${decisions.cold} with an empty decision cache, ${decisions.warm} with a warm one.`,
    '',
  ].join('\n');
}

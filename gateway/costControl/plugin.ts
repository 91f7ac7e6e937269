import type { Plugin } from '@envelop/core';
import { getOperationAST, getVariableValues, GraphQLError, print, type ExecutionArgs, type ExecutionResult } from 'graphql';

import type { LimitsSection } from '../../core/config/sections/cost.js';
import { errors } from '../../core/errors/index.js';
import type { RequestContext } from '../../core/http/service.js';
import { toThrottleStatus, type ThrottleStatus } from '../budget/index.js';
import { assertEstimateWithinMaximum, measureActualCost, type CostEstimator } from '../cost/index.js';
import type { GatewayRequest } from '../envelop/host.js';
import { chargeBudget, throttledResponseError } from './budgetCharge.js';
import { executedReport, rejectedReport, subgraphTotals, type CostReport } from './costReport.js';
import { checkOperationLimits } from './operationLimits.js';
import { attachRequestCost, type RequestCost } from './requestCost.js';
import type { CostControlRuntime } from './runtime.js';

/** Options of {@link useCostControl}. */
export interface CostControlOptions {
  readonly runtime: CostControlRuntime;
  readonly limits: LimitsSection;
  /** Estimator on the supergraph's API schema, with its caches. */
  readonly estimator: CostEstimator;
}

/** The outcome of the checks before execution: the state to run with, or the response to stop with. */
type Admission = { readonly cost: RequestCost } | { readonly rejection: ExecutionResult };

/**
 * Demand control of the gateway, as an envelop plugin. Before execution, in this order: the
 * operation limits (depth, aliases, root fields, tokens, document size), the estimated cost
 * against `maxCost`, and the charge of that estimate to the caller's budget. A failed check ends
 * the request with its coded error, and no subgraph is called. In `measure` mode only the limits
 * reject; the cost and the budget are reported and logged. After execution the actual cost is
 * measured from the response, metrics are recorded, and every response carries `extensions.cost`.
 *
 * Per-subgraph maxima need the gateway hooks `didResolveQueryPlan` and `guardSubgraphCost`, which
 * read the state this plugin attaches to the request context.
 */
export function useCostControl(options: CostControlOptions): Plugin<Record<string, unknown>> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const admission = await admit(options, args);
      if ('rejection' in admission) {
        setResultAndStopExecution(admission.rejection);
        return undefined;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!isExecutionResult(result)) return;
          setResult(completeResult(options, admission.cost, args, result));
        },
      };
    },
  };
}

async function admit(options: CostControlOptions, args: ExecutionArgs): Promise<Admission> {
  const { runtime } = options;
  const request = args.rootValue as GatewayRequest;
  const source = args.document === request.document ? request.source : print(args.document);
  // A plugin that ran earlier may have replaced the document; its limits are checked all the same.
  const operation = request.document === args.document ? request.operation : (getOperationAST(args.document, request.operationName) ?? undefined);

  const limitError = operation ? checkOperationLimits(options.limits, source, args.document, operation) : undefined;
  if (limitError) return reject(limitError, rejectedReport(null));

  const variables = request.request.variables ?? {};
  let estimated: number;
  try {
    estimated = options.estimator.estimate(source, { variables, operationName: request.operationName }).estimated;
  } catch (error) {
    return reject(asCostError(error), rejectedReport(null));
  }
  const overMaximum = maximumError(runtime, estimated);
  if (overMaximum) return reject(overMaximum, rejectedReport(estimated));

  const context = request.context as RequestContext;
  // Variables that do not coerce fail the operation before any fetch, so nothing is charged for it.
  const coercible = !operation || !getVariableValues(args.schema, operation.variableDefinitions ?? [], variables).errors;
  const charged = coercible ? await charge(runtime, context, estimated) : { budget: null };
  if ('rejection' in charged) return reject(charged.rejection, rejectedReport(estimated, charged.budget));

  const cost: RequestCost = { runtime, variables, estimated, bySubgraph: new Map(), rejections: new Map(), budget: charged.budget };
  attachRequestCost(context, cost);
  return { cost };
}

function maximumError(runtime: CostControlRuntime, estimated: number): GraphQLError | undefined {
  try {
    assertEstimateWithinMaximum(estimated, runtime.maxCost);
    return undefined;
  } catch (error) {
    runtime.logger.info({ estimated, maximum: runtime.maxCost, mode: runtime.mode }, 'operation estimated above the maximum cost');
    return runtime.mode === 'enforce' ? asCostError(error) : undefined;
  }
}

type Charge = { readonly budget: ThrottleStatus | null } | { readonly rejection: GraphQLError; readonly budget: ThrottleStatus | null };

/**
 * Charges the estimate to the caller's budget. A store that cannot be reached rejects the request
 * in `enforce` mode, because a budget that cannot be checked must not let traffic through.
 */
async function charge(runtime: CostControlRuntime, context: RequestContext, estimated: number): Promise<Charge> {
  if (!runtime.budget) return { budget: null };
  try {
    const status = await chargeBudget(runtime.budget, context, estimated);
    const budget = toThrottleStatus(status);
    if (status.allowed) return { budget };
    runtime.logger.info({ requestId: context.requestId, estimated, available: status.available, mode: runtime.mode }, 'cost budget spent');
    return runtime.mode === 'enforce' ? { rejection: throttledResponseError(status, estimated), budget } : { budget };
  } catch (error) {
    runtime.logger.error({ err: error, requestId: context.requestId }, 'cost budget could not be charged');
    if (runtime.mode !== 'enforce') return { budget: null };
    return { rejection: errors.INTERNAL_SERVER_ERROR.error('Internal server error.'), budget: null };
  }
}

function completeResult(options: CostControlOptions, cost: RequestCost, args: ExecutionArgs, result: ExecutionResult): ExecutionResult {
  const { runtime } = options;
  const request = args.rootValue as GatewayRequest;
  let actual: number | null = null;
  try {
    actual = measureActualCost(options.estimator.costSchema, args.document, result, { variables: cost.variables, operationName: request.operationName });
  } catch (error) {
    runtime.logger.warn({ err: error, requestId: (request.context as RequestContext).requestId }, 'actual cost of the response could not be measured');
  }

  runtime.metrics?.recordEstimatedCost({ total: cost.estimated, bySubgraph: subgraphTotals(cost, 'estimated') });
  runtime.metrics?.recordActualCost({ total: actual ?? 0, bySubgraph: subgraphTotals(cost, 'actual') });
  return withCostReport(result, executedReport(cost, actual));
}

function reject(error: GraphQLError, report: CostReport): Admission {
  return { rejection: withCostReport({ errors: [error] }, report) };
}

function withCostReport(result: ExecutionResult, report: CostReport): ExecutionResult {
  return { ...result, extensions: { ...result.extensions, cost: report } };
}

/** Keeps a coded GraphQLError; anything else becomes COST_QUERY_PARSE_FAILURE, so no cost failure lets an operation through. */
function asCostError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') return error;
  return errors.COST_QUERY_PARSE_FAILURE.error('The cost of the operation could not be computed.');
}

function isExecutionResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);
}

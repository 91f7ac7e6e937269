import { getVariableValues, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin, type TypedExecutionArgs } from '@envelop/core';

import { errors } from '../../core/errors/index.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { createConventionResolver, type ArgumentCoordinateResolver } from './argumentCoordinates.js';
import { decideOperation, type OperationDecisions } from './decisions.js';
import { maskData, type MaskingWalk } from './maskResult.js';
import { analyzeOperation, type FieldProbe } from './operationAnalysis.js';
import { OperationPlanCache, type OperationPlan } from './operationPlan.js';
import { validateMaskingOptions, type MaskingOptions } from './options.js';
import { scrubErrors } from './scrubErrors.js';
import { TYPENAME_ALIAS } from './typenameField.js';
import type { Principal } from './types.js';

const ANONYMOUS: Principal = { id: 'anonymous', attributes: {} };

/** One operation on its way through execution. */
interface MaskedOperation {
  readonly schema: GraphQLSchema;
  readonly plan: OperationPlan;
  readonly decisions: OperationDecisions;
}

/**
 * Creates the masking plugin of an envelop. Before execution it decides, once per coordinate, what
 * the caller may see, and rejects an operation whose arguments filter, order or group by a masked
 * or restricted field, or whose selection aggregates one, unless the policy permits `filter` or every
 * needed `unmask` and `read`. After execution it masks the result by each object's runtime type,
 * turns denied fields into null with a `FORBIDDEN` error, and withholds error messages of hidden fields.
 * Any failure of its own replaces the data with null and an `INTERNAL_SERVER_ERROR` (fail closed).
 * What depends only on the schema, the document and the operation name is computed once per parsed
 * document (see `OperationPlanCache`). Decisions are asked for on every request.
 *
 * NOTE: subscriptions are not masked; serve governed fields through queries only.
 *
 * @throws MASK_CONFIG_INVALID at creation when an option is invalid.
 */
export function useMasking<Context extends object>(options: MaskingOptions<Context>): Plugin<Context> {
  validateMaskingOptions(options);
  const logger = options.logger ?? createLogger().child({ component: 'masking' });
  const resolvers = new WeakMap<GraphQLSchema, ArgumentCoordinateResolver>();
  const resolverFor = (schema: GraphQLSchema): ArgumentCoordinateResolver => {
    const resolver = options.argumentCoordinates ?? resolvers.get(schema) ?? createConventionResolver(schema);
    resolvers.set(schema, resolver);
    return resolver;
  };
  const plans = new OperationPlanCache(options.catalog);

  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution, context }) {
      const plan = plans.planFor(args.schema, args.document, args.operationName, resolverFor(args.schema));
      const prepared = plan === undefined ? undefined : await prepareOperation(args, plan, context, options, resolverFor, logger);
      if (prepared instanceof Array) {
        setResultAndStopExecution({ errors: prepared });
        return undefined;
      }
      if (prepared === undefined) {
        return undefined;
      }

      const document = prepared.plan.executionDocument;
      setExecuteFn((executionArgs) => executeFn({ ...executionArgs, document }));
      return {
        onExecuteDone: (payload) =>
          handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            setResult(maskExecutionResult(prepared, result, options, logger));
          }),
      };
    },
  };
}

/**
 * Returns the operation ready to mask, the errors that reject it, or undefined when execution will
 * fail on its own (no such operation, or invalid variables) before reading any field.
 */
async function prepareOperation<Context>(
  args: TypedExecutionArgs<Context>,
  plan: OperationPlan,
  context: Context,
  options: MaskingOptions<Context>,
  resolverFor: (schema: GraphQLSchema) => ArgumentCoordinateResolver,
  logger: Logger,
): Promise<MaskedOperation | GraphQLError[] | undefined> {
  const { operation, fragments } = plan;
  const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (variables.coerced === undefined) {
    return undefined;
  }
  if (plan.usesReservedAlias) {
    return [errors.BAD_USER_INPUT.error(`The alias ${TYPENAME_ALIAS} is reserved by the gateway; choose another alias.`)];
  }

  const analysis =
    plan.staticAnalysis ??
    analyzeOperation({ schema: args.schema, operation, fragments, variables: variables.coerced, resolver: resolverFor(args.schema) });
  const decisions = await decideOperation({
    catalog: options.catalog,
    decider: options.decider,
    principal: principalOf(options, context, logger),
    logger,
    selected: analysis.selected,
    probed: analysis.probes.map((probe) => probe.coordinate),
  });

  const rejected = rejectedProbes(options, decisions, analysis.probes);
  if (rejected.length > 0) {
    logger.info({ operationName: operation.name?.value, coordinates: rejected.map((probe) => probe.coordinate) }, 'operation uses masked fields in arguments; rejected');
    return rejected.map((probe) =>
      errors.MASKED_FIELD_ARGUMENT.error(
        `Cannot filter, order, group or aggregate by masked field ${probe.coordinate}, used in ${probe.usage}: the caller may not unmask it.`,
        { coordinate: probe.coordinate },
      ),
    );
  }
  return { schema: args.schema, plan, decisions };
}

/** Lists the probes of governed fields that the caller may neither `filter` by nor see in full; one per coordinate. */
function rejectedProbes<Context>(options: MaskingOptions<Context>, decisions: OperationDecisions, probes: FieldProbe[]): FieldProbe[] {
  const rejected = new Map<string, FieldProbe>();
  for (const probe of probes) {
    const entry = options.catalog.get(probe.coordinate);
    if (entry === undefined || decisions.allows('filter', probe.coordinate)) {
      continue;
    }
    const unmaskDenied = entry.rule !== undefined && !decisions.allows('unmask', probe.coordinate);
    const readDenied = entry.restricted && !decisions.allows('read', probe.coordinate);
    if ((unmaskDenied || readDenied) && !rejected.has(probe.coordinate)) {
      rejected.set(probe.coordinate, probe);
    }
  }
  return [...rejected.values()];
}

function principalOf<Context>(options: MaskingOptions<Context>, context: Context, logger: Logger): Principal {
  try {
    return options.getPrincipal(context);
  } catch (error) {
    logger.warn({ err: error }, 'getPrincipal failed; treating the caller as anonymous');
    return ANONYMOUS;
  }
}

function maskExecutionResult<Context>(
  prepared: MaskedOperation,
  result: ExecutionResult,
  options: MaskingOptions<Context>,
  logger: Logger,
): ExecutionResult {
  const walk: MaskingWalk = {
    schema: prepared.schema,
    fragments: prepared.plan.fragments,
    catalog: options.catalog,
    decisions: prepared.decisions,
    ruleOptions: { hmacSecret: options.hmacSecret },
    logger,
    forbidden: [],
    verdicts: new Map(),
    maskedValues: new Map(),
  };
  const { operation, rootType, selection } = prepared.plan;

  try {
    const data = result.data ? maskData(walk, rootType, selection, result.data) : result.data;
    const executionErrors = scrubErrors(walk, rootType, operation.selectionSet.selections, result.errors ?? []);
    const allErrors = [...executionErrors, ...walk.forbidden];
    return { ...result, data, ...(allErrors.length > 0 ? { errors: allErrors } : {}) };
  } catch (error) {
    logger.error({ err: error, operationName: operation.name?.value }, 'masking the result failed; returning no data');
    return { data: null, errors: [errors.INTERNAL_SERVER_ERROR.error('Masking the result failed; no data is returned.')] };
  }
}

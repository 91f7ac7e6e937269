import { createHash } from 'node:crypto';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
} from '@apollo/server-gateway-interface';
import { envelop, useEngine, useSchema, type Plugin } from '@envelop/core';
import {
  Kind,
  parse,
  print,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** The Apollo Gateway request context, reachable from envelop hooks as `args.rootValue`. */
export type GatewayRequest = GatewayGraphQLRequestContext;

/**
 * Hosts envelop plugins in Apollo Server's gateway mode: wraps a gateway so that each operation runs
 * through envelop's `execute` pipeline, whose engine is the gateway's own executor.
 *
 * Apollo Server parses and validates the operation before the gateway sees it, so the plugins' hooks
 * that run here are `onContextBuilding`-free execution hooks: `onExecute` (which may replace the
 * document or stop with a result) and `onExecuteDone` (which may replace the result). A plugin that
 * rewrites the document gets a matching query hash, so Apollo Gateway never reuses the query plan
 * of the original document.
 */
export class EnvelopedGateway implements GatewayInterface {
  constructor(
    private readonly inner: GatewayInterface,
    private readonly plugins: ReadonlyArray<Plugin<Record<string, unknown>>>,
  ) {}

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]) {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const loaded = await this.inner.load(options);
    return loaded.executor ? { executor: this.wrap(loaded.executor) } : loaded;
  }

  private wrap(inner: GatewayExecutor): GatewayExecutor {
    const execute = (args: ExecutionArgs) => runGateway(inner, args);
    // One envelop per API schema: the plugins are composed once, not per request.
    const envelopes = new WeakMap<GraphQLSchema, ReturnType<typeof envelop>>();
    const envelopFor = (schema: GraphQLSchema) => {
      let getEnveloped = envelopes.get(schema);
      if (!getEnveloped) {
        getEnveloped = envelop({ plugins: [useEngine({ parse, validate, specifiedRules, execute, subscribe }), useSchema(schema), ...this.plugins] });
        envelopes.set(schema, getEnveloped);
      }
      return getEnveloped;
    };

    return async (requestContext) => {
      const enveloped = envelopFor(requestContext.schema)(requestContext.context as Record<string, unknown>);
      const result = await enveloped.execute({
        schema: requestContext.schema,
        document: requestContext.document,
        rootValue: requestContext,
        contextValue: requestContext.context,
        variableValues: requestContext.request.variables,
        operationName: requestContext.operationName,
      });
      return result as ExecutionResult;
    };
  }
}

/** The printed source and query hash of a rewritten document. */
interface PrintedDocument {
  readonly source: string;
  readonly queryHash: string;
}

/**
 * Printed rewritten documents by document object. A plugin that returns the same rewritten object for
 * the same input document (as masking does) is printed and hashed once, not on every request.
 */
const printedDocuments = new WeakMap<DocumentNode, PrintedDocument>();

/** Runs the gateway's executor on the (possibly rewritten) document of `args`. */
function runGateway(inner: GatewayExecutor, args: ExecutionArgs): Promise<ExecutionResult> {
  const original = args.rootValue as GatewayRequest;
  if (args.document === original.document) return inner(original);

  const { source, queryHash } = printedDocumentOf(args.document);
  const rewritten: GatewayRequest = {
    ...original,
    document: args.document,
    source,
    queryHash,
    operation: selectOperation(args.document, original.operationName) ?? original.operation,
  };
  return inner(rewritten);
}

function printedDocumentOf(document: DocumentNode): PrintedDocument {
  let printed = printedDocuments.get(document);
  if (printed === undefined) {
    const source = print(document);
    printed = { source, queryHash: createHash('sha256').update(source).digest('hex') };
    printedDocuments.set(document, printed);
  }
  return printed;
}

function selectOperation(document: DocumentNode, operationName: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
}

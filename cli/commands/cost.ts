import { readFileSync } from 'node:fs';

import { Command, InvalidArgumentError } from 'commander';
import { GraphQLError } from 'graphql';

import { createCostEstimator } from '../../gateway/cost/cache.js';
import { measureActualCost } from '../../gateway/cost/actual.js';
import type { CostEstimate } from '../../gateway/cost/estimate.js';
import { loadCostSchema } from '../../gateway/cost/schema.js';

interface EstimateFlags {
  schema: string;
  query: string;
  variables?: string;
  operationName?: string;
  response?: string;
  explain?: boolean;
  listSize?: number;
  json?: boolean;
}

/**
 * Adds `cost estimate`, which prints the estimated cost of an operation against a schema or
 * supergraph SDL, and its actual cost when given a response. Bad input prints one message to
 * stderr and sets a non-zero exit code.
 */
export function registerCostCommand(program: Command): void {
  const cost = program.command('cost').description('Estimate and measure the cost of GraphQL operations');
  cost
    .command('estimate')
    .description('Print the estimated cost of an operation, and its actual cost from a response')
    .requiredOption('--schema <file>', 'schema or supergraph SDL file')
    .requiredOption('--query <file>', 'file with the operation document')
    .option('--variables <json>', 'operation variables as a JSON object')
    .option('--operation-name <name>', 'operation to estimate when the document has several')
    .option('--response <file>', 'JSON response of the operation, to measure its actual cost')
    .option('--explain', 'print the estimated cost of each field path')
    .option('--list-size <n>', 'size of a list that no @listSize sizes (default 100)', parseListSize)
    .option('--json', 'print {"estimated", "actual"} as JSON')
    .action((flags: EstimateFlags) => {
      try {
        runEstimate(flags);
      } catch (error) {
        process.stderr.write(`cost estimate: ${describeError(error)}\n`);
        process.exitCode = 1;
      }
    });
}

function runEstimate(flags: EstimateFlags): void {
  const costSchema = loadCostSchema(readInput(flags.schema, 'schema'));
  const documentText = readInput(flags.query, 'query');
  const variables = parseVariables(flags.variables);
  const request = { variables, operationName: flags.operationName };

  const estimator = createCostEstimator(costSchema, { listSize: flags.listSize });
  const estimate = estimator.estimate(documentText, request);
  const actual = flags.response === undefined
    ? undefined
    : measureActualCost(costSchema, estimator.parseDocument(documentText), parseJsonFile(flags.response, 'response'), request);

  process.stdout.write(flags.json ? formatJson(estimate, actual, flags.explain) : formatText(estimate, actual, flags.explain));
}

function formatJson(estimate: CostEstimate, actual: number | undefined, explain: boolean | undefined): string {
  const output = { estimated: estimate.estimated, actual: actual ?? null, ...(explain ? { fields: estimate.fields } : {}) };
  return `${JSON.stringify(output, null, 2)}\n`;
}

function formatText(estimate: CostEstimate, actual: number | undefined, explain: boolean | undefined): string {
  const lines = [`estimated cost: ${estimate.estimated}`];
  if (actual !== undefined) lines.push(`actual cost: ${actual}`);
  if (explain) {
    lines.push('', 'cost (with selections)  self  resolutions  path  coordinate');
    for (const field of estimate.fields) {
      lines.push(`${field.cost}  ${field.selfCost}  ${field.resolutions}  ${field.path}  ${field.coordinate}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function readInput(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { cause: error });
  }
}

function parseJsonFile(file: string, what: string): unknown {
  const text = readInput(file, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the ${what} file ${file} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
}

function parseVariables(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`--variables is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`--variables must be a JSON object, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}

function parseListSize(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected a non-negative integer, found "${text}".`);
  }
  return value;
}

function describeError(error: unknown): string {
  if (error instanceof GraphQLError) return `${error.message} (${String(error.extensions.code)})`;
  return error instanceof Error ? error.message : String(error);
}

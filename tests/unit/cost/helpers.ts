import { parse } from 'graphql';

import { estimateCost, type CostEstimate, type EstimateRequest } from '../../../gateway/cost/estimate.js';
import { loadCostSchema, type CostSchema } from '../../../gateway/cost/schema.js';

/** The two directive definitions a plain schema declares to use cost control. */
export const COST_DIRECTIVES = `
directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;

export function plainSchema(sdl: string): CostSchema {
  return loadCostSchema(COST_DIRECTIVES + sdl);
}

export function estimate(schema: CostSchema, query: string, request: EstimateRequest = {}): CostEstimate {
  return estimateCost(schema, parse(query), request);
}

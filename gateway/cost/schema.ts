import { printSchema as printFederationSchema, Supergraph } from '@apollo/federation-internals';
import { buildASTSchema, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';

import { readCostDirectives, type CostDirectives } from './directives.js';
import { readFieldSubgraphs } from './joins.js';

/** A schema ready for cost estimation: the executable schema and its cost directives. */
export interface CostSchema {
  readonly schema: GraphQLSchema;
  readonly directives: CostDirectives;
  /** Subgraph that resolves each field, by `Type.field`, when a supergraph names exactly one. */
  readonly fieldSubgraphs: ReadonlyMap<string, string>;
  /** Subgraph this schema is, when it was extracted from a supergraph. */
  readonly subgraph?: string;
}

const JOIN_SPEC = 'https://specs.apollo.dev/join/';

/**
 * Builds a cost schema from SDL: a plain schema as it is, a supergraph as its API schema (the
 * schema clients query). The directives are read from the SDL itself because the API schema of a
 * supergraph no longer carries them.
 *
 * @throws Error naming what is wrong when the SDL does not parse or does not validate.
 */
export function loadCostSchema(sdl: string): CostSchema {
  const document = parseSdl(sdl);
  const directives = readCostDirectives(document);
  if (!isSupergraph(document)) {
    return { schema: buildPlainSchema(document), directives, fieldSubgraphs: new Map() };
  }
  const supergraph = buildSupergraph(sdl);
  return {
    schema: supergraph.apiSchema().toGraphQLJSSchema(),
    directives,
    fieldSubgraphs: readFieldSubgraphs(document),
  };
}

/**
 * Extracts every subgraph of a supergraph as a cost schema, for estimating the fetches of a query
 * plan. Each keeps the `@cost`/`@listSize` that composition recorded for it, and the federation
 * fields (`_entities`) its fetches select.
 */
export function loadSubgraphCostSchemas(supergraphSdl: string): Map<string, CostSchema> {
  const supergraph = buildSupergraph(supergraphSdl);
  const schemas = new Map<string, CostSchema>();
  for (const subgraph of supergraph.subgraphs()) {
    schemas.set(subgraph.name, {
      schema: subgraph.schema.toGraphQLJSSchema(),
      directives: readCostDirectives(printFederationSchema(subgraph.schema)),
      fieldSubgraphs: new Map(),
      subgraph: subgraph.name,
    });
  }
  return schemas;
}

function parseSdl(sdl: string): DocumentNode {
  try {
    return parse(sdl, { noLocation: true });
  } catch (error) {
    throw new Error(`Invalid schema SDL: ${(error as Error).message}`, { cause: error });
  }
}

function buildPlainSchema(document: DocumentNode): GraphQLSchema {
  try {
    return buildASTSchema(document);
  } catch (error) {
    throw new Error(`Invalid schema SDL: ${(error as Error).message}`, { cause: error });
  }
}

function buildSupergraph(sdl: string): Supergraph {
  try {
    return Supergraph.build(sdl);
  } catch (error) {
    throw new Error(`Invalid supergraph SDL: ${(error as Error).message}`, { cause: error });
  }
}

function isSupergraph(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) &&
      (definition.directives ?? []).some(
        (directive) =>
          directive.name.value === 'link' &&
          directive.arguments?.some(
            (argument) =>
              argument.name.value === 'url' &&
              argument.value.kind === Kind.STRING &&
              argument.value.value.startsWith(JOIN_SPEC),
          ),
      ),
  );
}

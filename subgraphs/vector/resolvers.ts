import type { GraphQLResolveInfo } from 'graphql';
import type { Logger } from '../../core/logger.js';
import type { SearchMode } from './index/index.js';
import { extractiveAnswer, generativeAnswer, type AnswerGenerator } from './answer.js';
import { toMetadataFilters, type SearchFilterInput } from './filters.js';
import { reportPartialFailures } from './partialResults.js';
import type { SearchService } from './search.js';

interface SearchFieldArguments {
  readonly query: string;
  readonly collections?: string[] | null;
  readonly mode: 'KEYWORD' | 'VECTOR' | 'HYBRID';
  readonly where?: SearchFilterInput | null;
  readonly first: number;
}

const SPEECH_COLLECTION = 'speeches';

/**
 * Resolvers of `search`, `answer`, the `SearchEntity` union and the `SpeechPassage` entity. Without
 * `generator`, `answer` is extractive. Partial failures of the backend are reported next to the data.
 */
export function vectorResolvers(service: SearchService, generator: AnswerGenerator | undefined, logger: Logger) {
  return {
    Query: {
      search: async (_: unknown, args: SearchFieldArguments, context: object, info: GraphQLResolveInfo) => {
        const mode = args.mode.toLowerCase() as SearchMode;
        const outcome = await service.search({ query: args.query, collections: args.collections, mode, filters: toMetadataFilters(args.where), first: args.first });
        reportPartialFailures(outcome.partialFailures, context, info);
        return outcome.hits;
      },
      answer: async (_: unknown, args: { question: string; first: number }, context: object, info: GraphQLResolveInfo) => {
        const outcome = await service.search({ query: args.question, mode: 'hybrid', filters: [], first: args.first });
        reportPartialFailures(outcome.partialFailures, context, info);
        return generator === undefined ? extractiveAnswer(outcome.hits) : generativeAnswer(args.question, outcome.hits, generator, logger);
      },
    },
    SearchEntity: {
      __resolveType: (entity: { __typename: string }) => entity.__typename,
    },
    SpeechPassage: {
      // @apollo/subgraph calls __resolveReference(reference, context, info); its resolver-map type
      // declares the four parameters of a field resolver instead, hence `info: object`.
      __resolveReference: async (reference: { id: string }, context: object, info: object) => {
        const result = await service.backend.lookup(SPEECH_COLLECTION, [reference.id]);
        if (result.partialFailure !== undefined) {
          reportPartialFailures([{ collection: SPEECH_COLLECTION, message: result.partialFailure }], context, info as GraphQLResolveInfo);
        }
        const passage = result.found.get(reference.id);
        return passage === undefined ? null : { ...passage.metadata, id: passage.id, text: passage.text };
      },
    },
  };
}

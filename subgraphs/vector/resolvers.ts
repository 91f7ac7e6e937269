import type { VectorConfig } from '../../core/config/sections/vector.js';
import type { Logger } from '../../core/logger.js';
import type { SearchMode } from './index/index.js';
import { extractiveAnswer, generativeAnswer } from './answer.js';
import { toMetadataFilters, type SearchFilterInput } from './filters.js';
import type { SearchService } from './search.js';

interface SearchFieldArguments {
  readonly query: string;
  readonly collections?: string[] | null;
  readonly mode: 'KEYWORD' | 'VECTOR' | 'HYBRID';
  readonly where?: SearchFilterInput | null;
  readonly first: number;
}

const SPEECH_COLLECTION = 'speeches';

/** Resolvers of `search`, `answer`, the `SearchEntity` union and the `SpeechPassage` entity. */
export function vectorResolvers(service: SearchService, config: VectorConfig, logger: Logger) {
  return {
    Query: {
      search: (_: unknown, args: SearchFieldArguments) =>
        service.search({ query: args.query, collections: args.collections, mode: args.mode.toLowerCase() as SearchMode, filters: toMetadataFilters(args.where), first: args.first }),
      answer: async (_: unknown, args: { question: string; first: number }) => {
        const hits = await service.search({ query: args.question, mode: 'hybrid', filters: [], first: args.first });
        return config.generation === undefined ? extractiveAnswer(hits) : generativeAnswer(args.question, hits, config.generation, logger);
      },
    },
    SearchEntity: {
      __resolveType: (entity: { __typename: string }) => entity.__typename,
    },
    SpeechPassage: {
      __resolveReference: async (reference: { id: string }) => {
        const found = await service.backend.lookup(SPEECH_COLLECTION, [reference.id]);
        const passage = found.get(reference.id);
        return passage === undefined ? null : { ...passage.metadata, id: passage.id, text: passage.text };
      },
    },
  };
}

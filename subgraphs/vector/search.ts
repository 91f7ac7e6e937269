import { errors } from '../../core/errors/index.js';
import type { MetadataFilter, SearchMode } from './index/index.js';
import type { CollectionHit, SearchBackend } from './backends/backend.js';
import type { CollectionDeclaration } from './collections.js';
import type { PartialFailure } from './partialResults.js';

/** Embeds a query text into the vector space of the collections. */
export type EmbedQuery = (text: string) => Float32Array;

export interface SearchArguments {
  readonly query: string;
  /** Collection names; all declared collections when absent. */
  readonly collections?: readonly string[] | null;
  readonly mode: SearchMode;
  readonly filters: readonly MetadataFilter[];
  readonly first: number;
}

/** A hit across collections, with the representation of the entity it points to. */
export interface MeshSearchHit {
  readonly score: number;
  readonly snippet: string;
  readonly collection: string;
  readonly text: string;
  readonly entity: Readonly<Record<string, unknown>>;
}

/** The merged hits of a search, and the collections whose hits may be incomplete. */
export interface SearchOutcome {
  readonly hits: MeshSearchHit[];
  readonly partialFailures: PartialFailure[];
}

/** Searches declared collections through one backend and merges their hits. */
export class SearchService {
  private readonly declarations: ReadonlyMap<string, CollectionDeclaration>;

  constructor(
    declarations: readonly CollectionDeclaration[],
    readonly backend: SearchBackend,
    private readonly embed: EmbedQuery,
    private readonly maxResults: number,
  ) {
    this.declarations = new Map(declarations.map((declaration) => [declaration.name, declaration]));
  }

  /**
   * Searches each requested collection for its best `first` hits and returns the best `first`
   * of all, by score. A collection that does not declare every filtered field is skipped, because
   * none of its documents could match.
   * NOTE: scores of different collections are compared as they are; BM25 scores in KEYWORD mode
   * depend on each collection's statistics, so that ordering across collections is approximate.
   *
   * @throws COLLECTION_NOT_FOUND, INVALID_PAGE_SIZE or PAGE_SIZE_TOO_LARGE on an invalid request.
   */
  async search(request: SearchArguments): Promise<SearchOutcome> {
    this.validateFirst(request.first);
    const selected = this.select(request.collections).filter((declaration) => declaresFields(declaration, request.filters));
    if (request.first === 0 || selected.length === 0) {
      return { hits: [], partialFailures: [] };
    }

    const vector = this.embed(request.query);
    const results = await Promise.all(
      selected.map((declaration) => this.backend.search({ collection: declaration.name, mode: request.mode, text: request.query, vector, filters: request.filters, first: request.first })),
    );

    const hits = results.flatMap((result, i) => result.hits.map((hit) => toMeshHit(selected[i], hit)));
    const partialFailures = results.flatMap((result, i) => (result.partialFailure === undefined ? [] : [{ collection: selected[i].name, message: result.partialFailure }]));
    return { hits: hits.sort((a, b) => b.score - a.score).slice(0, request.first), partialFailures };
  }

  /** Returns the declaration of a collection; throws COLLECTION_NOT_FOUND for an undeclared name. */
  declaration(name: string): CollectionDeclaration {
    const declaration = this.declarations.get(name);
    if (declaration === undefined) {
      const known = [...this.declarations.keys()].join(', ');
      throw errors.COLLECTION_NOT_FOUND.error(`Collection "${name}" does not exist; the collections are ${known}.`);
    }
    return declaration;
  }

  private select(names: readonly string[] | null | undefined): CollectionDeclaration[] {
    if (names === undefined || names === null) {
      return [...this.declarations.values()];
    }
    return [...new Set(names)].map((name) => this.declaration(name));
  }

  private validateFirst(first: number): void {
    if (!Number.isInteger(first) || first < 0) {
      throw errors.INVALID_PAGE_SIZE.error(`first must be a non-negative integer, but is ${first}.`);
    }
    if (first > this.maxResults) {
      throw errors.PAGE_SIZE_TOO_LARGE.error(`first is ${first}, above the maximum of ${this.maxResults}.`, { maximum: this.maxResults });
    }
  }
}

function declaresFields(declaration: CollectionDeclaration, filters: readonly MetadataFilter[]): boolean {
  return filters.every((filter) => declaration.metadata.includes(filter.field));
}

/** Builds the hit's entity: the full passage for an entity this subgraph owns, a representation otherwise. */
function toMeshHit(declaration: CollectionDeclaration, hit: CollectionHit): MeshSearchHit {
  const key = hit.metadata[declaration.key] ?? hit.id;
  const entity = { ...hit.metadata, text: hit.text, __typename: declaration.entity, [declaration.key]: key };
  return { score: hit.score, snippet: hit.snippet, collection: declaration.name, text: hit.text, entity };
}

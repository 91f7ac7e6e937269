import DataLoader from 'dataloader';
import { parse, type DocumentNode, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { BackendKind } from './costWeights.js';
import type { Row, SqlBackend } from './backend.js';
import { generateSubgraphSdl } from './generate.js';
import { canonicalJson, requestLoader } from './loaders.js';
import { readDataProduct, type DataProductModel, type MappedType, type RelationField } from './model.js';
import { generatedNames as names } from './naming.js';
import { entityKeyText, rowToNode } from './nodes.js';
import { resolvePageSize, type PaginationLimits } from './pagination.js';
import { scalarResolvers } from './scalars.js';
import { selectedFieldNames } from './selection.js';
import type { FilterInput } from './sql/filter.js';
import { decodeCursor, encodeCursor, resolveOrder, type OrderByInput, type OrderKey } from './sql/ordering.js';
import {
  aggregateStatement,
  COUNT_ALIAS,
  countStatement,
  entityStatement,
  PARENT_ALIAS,
  pageStatement,
  type AggregateFunction,
  type ParentScope,
} from './sql/select.js';
import type { PartitionRule, TableContext } from './sql/table.js';
import { aggregateGroups, type AggregateRequest } from './aggregates.js';

/** Source of a mapped type's rows, when it is not a table named like the source. */
export interface SourceBinding {
  readonly from: string;
  readonly partitions?: readonly PartitionRule[];
}

export interface DataProductOptions {
  /** The domain's SDL with mapping directives. */
  readonly sdl: string;
  readonly backendKind: BackendKind;
  readonly backend: SqlBackend;
  readonly pagination: PaginationLimits;
  /** FROM expressions by source name; a source without one is read as the table `relation(name)`. */
  readonly sources?: ReadonlyMap<string, SourceBinding>;
  /** FROM expression of a table named in the SDL; by default the name quoted in the backend's dialect. */
  readonly relation?: (table: string) => string;
}

/** A data product ready to serve: its generated SDL and the resolvers that run it. */
export interface DataProduct {
  readonly model: DataProductModel;
  readonly sdl: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<object>;
  readonly tables: ReadonlyMap<string, TableContext>;
}

interface ListArgs {
  where?: FilterInput | null;
  orderBy?: OrderByInput[] | null;
  first?: number | null;
  after?: string | null;
}

interface AggregateArgs {
  where?: FilterInput | null;
  groupBy?: string[] | null;
  first?: number | null;
}

type Resolver = GraphQLFieldResolver<Record<string, unknown>, object, Record<string, unknown>>;

/**
 * Builds a data product from a domain's SDL: reads the model, generates the subgraph SDL, checks every
 * mapped column against the backend and creates the resolvers.
 *
 * @throws DataProductDefinitionError for SDL that breaks the mapping rules, and Error naming the
 *   coordinate when a mapped column is missing from its source.
 */
export async function createDataProduct(options: DataProductOptions): Promise<DataProduct> {
  const model = readDataProduct(options.sdl);
  const sdl = generateSubgraphSdl(model, { backend: options.backendKind, ...options.pagination });
  const tables = new Map<string, TableContext>();
  const dialect = options.backend.dialect;
  const relation = options.relation ?? ((table: string) => dialect.quoteIdentifier(table));

  for (const type of model.types.values()) {
    const binding: SourceBinding = options.sources?.get(type.source) ?? { from: relation(type.source) };
    const { columnTypes, sourceColumnNames } = matchColumns(type, await options.backend.describe(binding.from), type.source);
    tables.set(type.name, { model, type, dialect, from: binding.from, columnTypes, sourceColumnNames, partitions: binding.partitions ?? [] });
  }

  const resolvers = new ResolverFactory(model, tables, options.backend, options.pagination).build();
  return { model, sdl, typeDefs: parse(sdl), resolvers, tables };
}

/**
 * Finds each mapped column in the source: by its exact name, or else by the only source column that
 * differs from it in case, as a warehouse that stores unquoted names upper-case reports them.
 */
function matchColumns(type: MappedType, described: Map<string, string>, source: string) {
  const columnTypes = new Map<string, string>();
  const sourceColumnNames = new Map<string, string>();
  for (const field of type.fields) {
    const candidates = described.has(field.column)
      ? [field.column]
      : [...described.keys()].filter((name) => name.toLowerCase() === field.column.toLowerCase());
    if (candidates.length !== 1) {
      const available = [...described.keys()].join(', ');
      const problem = candidates.length === 0 ? 'is not in' : 'matches several columns of';
      throw new Error(`${type.name}.${field.name}: column "${field.column}" ${problem} source "${source}"; its columns are ${available}.`);
    }
    columnTypes.set(field.column, described.get(candidates[0]) as string);
    if (candidates[0] !== field.column) sourceColumnNames.set(field.column, candidates[0]);
  }
  return { columnTypes, sourceColumnNames };
}

class ResolverFactory {
  constructor(
    private readonly model: DataProductModel,
    private readonly tables: ReadonlyMap<string, TableContext>,
    private readonly backend: SqlBackend,
    private readonly limits: PaginationLimits,
  ) {}

  build(): GraphQLResolverMap<object> {
    const resolvers: GraphQLResolverMap<object> = { ...scalarResolvers } as unknown as GraphQLResolverMap<object>;
    const query: Record<string, Resolver> = {};

    for (const type of this.model.types.values()) {
      const table = this.table(type.name);
      query[type.plural] = (_parent, args, _context, info) => this.rootConnection(table, args as ListArgs, info);
      query[names.aggregateField(type.plural)] = (_parent, args, _context, info) =>
        this.rootAggregate(table, args as AggregateArgs, info);
      if (type.isEntity) query[names.lookupField(type.name)] = (_parent, args, context) => this.entityLoader(table, context).load(args);
      resolvers[type.name] = {
        ...(type.isEntity ? { __resolveReference: (reference: Record<string, unknown>, context: object) => this.entityLoader(table, context).load(reference) } : {}),
        ...this.localReferenceResolvers(type),
        ...this.relationResolvers(type.name, type.relations),
      };
    }
    for (const stub of this.model.stubs.values()) {
      resolvers[stub.name] = {
        __resolveReference: (reference: Record<string, unknown>) => reference,
        ...this.relationResolvers(stub.name, stub.relations),
      };
    }
    resolvers.Query = query;
    return resolvers;
  }

  private table(typeName: string): TableContext {
    return this.tables.get(typeName) as TableContext;
  }

  /**
   * Resolves references to entities this subgraph owns itself: the gateway does not fetch those, so
   * the representation `{ __typename, key }` is completed from the local table, batched per type.
   */
  private localReferenceResolvers(type: MappedType): Record<string, Resolver> {
    const result: Record<string, Resolver> = {};
    for (const field of type.fields) {
      if (field.kind !== 'reference' || !this.model.types.has(field.target)) continue;
      const target = this.table(field.target);
      result[field.name] = (parent, _args, context) => {
        const reference = parent[field.name] as Record<string, unknown> | null;
        return reference ? this.entityLoader(target, context).load(reference) : null;
      };
    }
    return result;
  }

  private relationResolvers(owner: string, relations: readonly RelationField[]): Record<string, Resolver> {
    const result: Record<string, Resolver> = {};
    const ownerKey = (this.model.types.get(owner) ?? this.model.stubs.get(owner))?.keyFields[0] as string;
    for (const relation of relations) {
      const table = this.table(relation.target);
      const coordinate = `${owner}.${relation.name}`;
      result[relation.name] = (parent, args, context, info) =>
        this.relationConnection(table, relation, coordinate, parent[ownerKey], args as ListArgs, context, info);
      result[names.aggregateField(relation.name)] = (parent, args, context, info) =>
        this.relationAggregate(table, relation, coordinate, parent[ownerKey], args as AggregateArgs, context, info);
    }
    return result;
  }

  private async rootConnection(table: TableContext, args: ListArgs, info: GraphQLResolveInfo) {
    const page = this.pageRequest(table, args, info, `Query.${info.fieldName}`);
    const rows = await this.backend.query(pageStatement(table, page));
    const connection = this.connection(table, rows, page.size, page.order);
    const countLoader = () => this.backend.query(countStatement(table, args.where)).then((result) => Number(result[0][COUNT_ALIAS]));
    return { ...connection, totalCount: once(countLoader) };
  }

  private relationConnection(
    table: TableContext,
    relation: RelationField,
    coordinate: string,
    parentKey: unknown,
    args: ListArgs,
    context: object,
    info: GraphQLResolveInfo,
  ) {
    const page = this.pageRequest(table, args, info, coordinate);
    const loaderId = `page|${coordinate}|${canonicalJson(args)}|${[...page.fields].sort().join(',')}`;
    const loader = requestLoader<unknown, Row[]>(context, loaderId, () =>
      new DataLoader(async (parents) => {
        const scope: ParentScope = { field: relation.foreignField, values: parents };
        const rows = await this.backend.query(pageStatement(table, { ...page, scope }));
        return groupByParent(parents, rows);
      }, { cacheKeyFn: String }),
    );
    const countId = `count|${coordinate}|${canonicalJson(args.where ?? null)}`;
    const counts = requestLoader<unknown, number>(context, countId, () =>
      new DataLoader(async (parents) => {
        const rows = await this.backend.query(countStatement(table, args.where, { field: relation.foreignField, values: parents }));
        const byParent = new Map(rows.map((row) => [String(row[PARENT_ALIAS]), Number(row[COUNT_ALIAS])]));
        return parents.map((parent) => byParent.get(String(parent)) ?? 0);
      }, { cacheKeyFn: String }),
    );
    return loader.load(parentKey).then((rows) => ({
      ...this.connection(table, rows, page.size, page.order),
      totalCount: () => counts.load(parentKey),
    }));
  }

  private pageRequest(table: TableContext, args: ListArgs, info: GraphQLResolveInfo, coordinate: string) {
    const size = resolvePageSize(args.first, this.limits, coordinate);
    const order = resolveOrder(table, args.orderBy);
    const after = args.after ? decodeCursor(table.type.name, order, args.after) : undefined;
    const requested = new Set([...selectedFieldNames(info, ['nodes']), ...selectedFieldNames(info, ['edges', 'node'])]);
    const fields = new Set(table.type.fields.filter((field) => requested.has(field.name)).map((field) => field.name));
    for (const key of table.type.keyFields) fields.add(key);
    return { fields, filter: args.where, order, after, limit: size + 1, size };
  }

  private connection(table: TableContext, rows: Row[], size: number, order: readonly OrderKey[]) {
    const pageRows = rows.slice(0, size);
    const edges = pageRows.map((row) => ({
      cursor: encodeCursor(table.type.name, order, row),
      node: rowToNode(this.model, table.type, row),
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    };
  }

  private aggregateRequest(table: TableContext, args: AggregateArgs, info: GraphQLResolveInfo, coordinate: string): AggregateRequest {
    const limit = resolvePageSize(args.first, this.limits, coordinate, 'groups');
    const aggregates: Array<{ fn: AggregateFunction; field: string }> = [];
    for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
      for (const field of selectedFieldNames(info, [fn])) {
        if (table.type.fields.some((candidate) => candidate.name === field)) aggregates.push({ fn, field });
      }
    }
    return { groupBy: args.groupBy ?? [], aggregates, limit, filter: args.where };
  }

  private async rootAggregate(table: TableContext, args: AggregateArgs, info: GraphQLResolveInfo) {
    const request = this.aggregateRequest(table, args, info, `Query.${info.fieldName}`);
    const rows = await this.backend.query(aggregateStatement(table, request));
    return aggregateGroups(table, request, rows);
  }

  private relationAggregate(
    table: TableContext,
    relation: RelationField,
    coordinate: string,
    parentKey: unknown,
    args: AggregateArgs,
    context: object,
    info: GraphQLResolveInfo,
  ) {
    const request = this.aggregateRequest(table, args, info, coordinate);
    const loaderId = `aggregate|${coordinate}|${canonicalJson(args)}|${canonicalJson(request.aggregates)}`;
    const loader = requestLoader<unknown, unknown[]>(context, loaderId, () =>
      new DataLoader(async (parents) => {
        const scope: ParentScope = { field: relation.foreignField, values: parents };
        const rows = await this.backend.query(aggregateStatement(table, { ...request, scope }));
        return groupByParent(parents, rows).map((parentRows) => aggregateGroups(table, request, parentRows));
      }, { cacheKeyFn: String }),
    );
    return loader.load(parentKey);
  }

  private entityLoader(table: TableContext, context: object) {
    const type = table.type;
    return requestLoader<Record<string, unknown>, Record<string, unknown> | null>(context, `entity|${type.name}`, () =>
      new DataLoader(
        async (references) => {
          const keys = references.map((reference) => type.keyFields.map((name) => reference[name]));
          const rows = await this.backend.query(entityStatement(table, type.fields.map((field) => field.name), keys));
          const byKey = new Map(rows.map((row) => [entityKeyText(this.model, type, row), rowToNode(this.model, type, row)]));
          return references.map((reference) => byKey.get(entityKeyText(this.model, type, reference)) ?? null);
        },
        { cacheKeyFn: (reference) => entityKeyText(this.model, type, reference) },
      ),
    );
  }
}

function groupByParent(parents: readonly unknown[], rows: Row[]): Row[][] {
  const byParent = new Map<string, Row[]>();
  for (const row of rows) {
    const key = String(row[PARENT_ALIAS]);
    const list = byParent.get(key);
    if (list) list.push(row);
    else byParent.set(key, [row]);
  }
  return parents.map((parent) => byParent.get(String(parent)) ?? []);
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}

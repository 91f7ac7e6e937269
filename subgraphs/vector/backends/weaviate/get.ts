import { describeFailure, withTimeout } from './connection.js';

/** The objects of a `Get` query, and the GraphQL errors Weaviate returned next to them. */
export interface GetResult<T> {
  readonly objects: T[];
  /** Messages of the GraphQL errors; empty when the query succeeded in full. */
  readonly errors: string[];
}

/** A query builder of weaviate-ts-client, ready to send. */
export interface GetQuery {
  do(): Promise<unknown>;
}

interface GraphQLResponse {
  readonly data?: { readonly Get?: Readonly<Record<string, unknown>> } | null;
  readonly errors?: ReadonlyArray<{ readonly message?: unknown }>;
}

/**
 * Sends a `Get` query for one class and returns its objects. Weaviate may respond with both `data`
 * and `errors`, for example when a shard of the class failed. Then the objects come back with the
 * error messages, read from the `ClientError` that graphql-request throws for any response with errors.
 *
 * @throws Error whose message describes the failure, when no list of objects came back
 */
export async function runGet<T>(query: GetQuery, className: string, timeoutMs: number): Promise<GetResult<T>> {
  let response: GraphQLResponse;
  try {
    response = (await withTimeout(query.do(), timeoutMs)) as GraphQLResponse;
  } catch (error) {
    const partial = partialResult<T>(error, className);
    if (partial === undefined) {
      throw new Error(describeFailure(error), { cause: error });
    }
    return partial;
  }
  const objects = response.data?.Get?.[className];
  if (!Array.isArray(objects)) {
    throw new Error(`the response has no Get.${className} list`);
  }
  return { objects: objects as T[], errors: [] };
}

/** Returns the objects and errors of a GraphQL response that has both, which graphql-request threw. */
function partialResult<T>(error: unknown, className: string): GetResult<T> | undefined {
  const response = (error as { response?: GraphQLResponse }).response;
  const objects = response?.data?.Get?.[className];
  const messages = (response?.errors ?? []).map((entry) => String(entry.message ?? 'no message'));
  if (!Array.isArray(objects) || messages.length === 0) {
    return undefined;
  }
  return { objects: objects as T[], errors: messages };
}

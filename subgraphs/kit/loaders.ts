import DataLoader from 'dataloader';

const loadersByContext = new WeakMap<object, Map<string, DataLoader<unknown, unknown, string>>>();

/**
 * Returns the request's DataLoader for `id`, creating it with `create` on first use. Loaders live as
 * long as the request's context object, so batching and caching never cross requests.
 */
export function requestLoader<K, V>(context: object, id: string, create: () => DataLoader<K, V, string>): DataLoader<K, V, string> {
  let loaders = loadersByContext.get(context);
  if (!loaders) {
    loaders = new Map();
    loadersByContext.set(context, loaders);
  }
  let loader = loaders.get(id);
  if (!loader) {
    loader = create() as unknown as DataLoader<unknown, unknown, string>;
    loaders.set(id, loader);
  }
  return loader as unknown as DataLoader<K, V, string>;
}

/** JSON with object keys sorted at every depth, so equal values in any field order give one text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

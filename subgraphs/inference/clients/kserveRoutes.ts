/** A model on a KServe v2 server: its name and, when the config pins one, its version. */
export interface ModelRef {
  readonly name: string;
  readonly version?: string;
}

function trimSlash(baseUrl: string): string {
  return baseUrl.replace(/\/$/, '');
}

/** Builds the URL of `GET /v2/health/ready`, which returns 200 when the server is ready and 4xx or 503 when not. */
export function serverReadyUrl(baseUrl: string): string {
  return `${trimSlash(baseUrl)}/v2/health/ready`;
}

/**
 * Builds `{url}/v2/models/{name}`, or `{url}/v2/models/{name}/versions/{version}` for a pinned
 * version: the model metadata route, and the base of the model's `/ready` and `/infer` routes.
 */
export function modelUrl(baseUrl: string, model: ModelRef): string {
  const version = model.version === undefined ? '' : `/versions/${encodeURIComponent(model.version)}`;
  return `${trimSlash(baseUrl)}/v2/models/${encodeURIComponent(model.name)}${version}`;
}

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema, type ConfigInput, type MeshConfig, type SubgraphName } from './schema.js';

/** A configuration that failed validation; `issues` name each dotted option path. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ENV_PREFIX = 'MESHGATE_';

/**
 * Builds the validated, frozen configuration from, in increasing precedence: the defaults, a JSON
 * file, `MESHGATE_*` environment variables and explicit overrides.
 *
 * An environment variable names a dotted path with `__` between segments and camelCase
 * segments in upper snake case: `MESHGATE_GATEWAY__PORT=4001`, `MESHGATE_DATA_DIR=/srv/data`.
 * Values are parsed as JSON when they parse, else taken as strings.
 *
 * @throws ConfigError naming each invalid option, what was expected and what was found.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: ConfigInput } = {}): MeshConfig {
  const fromFile = options.file ? readConfigFile(options.file) : {};
  const fromEnv = readEnvironment(options.env ?? process.env);
  const merged = deepMerge(deepMerge(fromFile, fromEnv), (options.overrides ?? {}) as Record<string, unknown>);
  return validateConfig(merged);
}

/** Validates a raw configuration object and freezes the result. */
export function validateConfig(raw: unknown): MeshConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => describeConfigIssue(issue, raw)));
  }
  return deepFreeze(result.data);
}

/** Returns the URL the gateway sends a subgraph's fetches to. */
export function subgraphUrl(config: MeshConfig, name: SubgraphName): string {
  const service = config.subgraphs[name];
  return service.url ?? `http://${service.host}:${service.port}/graphql`;
}

/**
 * Describes one validation issue as `dotted.path: what was expected; found VALUE`. `prefix` is the
 * path of the section `raw` was read from, for sections validated on their own.
 */
export function describeConfigIssue(issue: z.core.$ZodIssue, raw: unknown, prefix: readonly string[] = []): string {
  const path = [...prefix, ...issue.path.map(String)].join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => [...prefix, ...issue.path.map(String), key].join('.'));
    return `${keys.join(', ')}: unknown option; check the spelling against the documented options`;
  }
  const found = valueAt(raw, issue.path);
  // A custom check states its values in its message; a default it compared is not in the raw input.
  if (issue.code === 'custom' && found === undefined) return `${path}: ${issue.message}`;
  if (issue.code === 'invalid_type' && found === undefined) return `${path}: missing; this option is required (expected ${issue.expected})`;
  return `${path}: ${issue.message}; ${describeFound(found, issue.path)}`;
}

/** Option names whose values are or may be secrets, so a rejected value is never echoed. */
const SECRET_NAME = /key|secret|password|passphrase|token|credential/i;

/** Maximum length of a string value that an error quotes. A longer one is more likely pasted JSON or a key. */
const QUOTED_STRING_LENGTH = 64;

/**
 * Describes a rejected value without repeating what could be a secret. Numbers, booleans and
 * short strings of ordinary options are quoted. Objects, lists, long strings and any value of an
 * option named like a credential are described by their kind and size only.
 */
function describeFound(found: unknown, path: readonly PropertyKey[]): string {
  if (found === undefined) return 'found nothing';
  if (Array.isArray(found)) return `found a list of ${found.length} items`;
  if (found !== null && typeof found === 'object') return 'found an object';
  const name = String(path[path.length - 1] ?? '');
  if (typeof found === 'string' && (SECRET_NAME.test(name) || found.length > QUOTED_STRING_LENGTH)) {
    return `found a string of ${found.length} characters (not shown)`;
  }
  return `found ${JSON.stringify(found)}`;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let current = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`--config (or MESHGATE_CONFIG): cannot read ${file}: ${(error as Error).message}`]);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`--config (or MESHGATE_CONFIG): ${file} is not valid JSON: ${(error as Error).message}`]);
  }
}

function readEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || name === 'MESHGATE_CONFIG') continue;
    const path = name.slice(ENV_PREFIX.length).split('__').map(camelCase);
    setPath(result, path, parseEnvValue(value));
  }
  return result;
}

function camelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function parseEnvValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    current[key] = next !== null && typeof next === 'object' ? next : {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = result[key];
    const bothObjects = isPlainObject(existing) && isPlainObject(value);
    result[key] = bothObjects ? deepMerge(existing, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

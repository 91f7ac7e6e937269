import { readFileSync } from 'node:fs';
import { ConfigError } from './load.js';

/** The options that name where an API key is read from: an environment variable or a file. */
export interface ApiKeySource {
  readonly apiKeyEnv?: string;
  readonly apiKeyFile?: string;
}

/**
 * Reads the API key that `source` points to, once at startup. Returns undefined when neither option
 * is set, so the server is called without a key. The key never appears in an error message.
 *
 * @param optionPath dotted path of the options, such as `vector.backend`, for the error message
 * @throws ConfigError naming the option when the variable is unset or the file is unreadable or empty
 */
export function readApiKey(source: ApiKeySource, optionPath: string): string | undefined {
  if (source.apiKeyEnv !== undefined) {
    return readFromEnvironment(source.apiKeyEnv, `${optionPath}.apiKeyEnv`);
  }
  if (source.apiKeyFile !== undefined) {
    return readFromFile(source.apiKeyFile, `${optionPath}.apiKeyFile`);
  }
  return undefined;
}

function readFromEnvironment(variable: string, option: string): string {
  const value = process.env[variable]?.trim();
  if (value === undefined || value === '') {
    throw new ConfigError([`${option}: the environment variable ${variable} is not set or is empty; set it to the API key or remove ${option}`]);
  }
  return value;
}

function readFromFile(file: string, option: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${option}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  const value = text.trim();
  if (value === '') {
    throw new ConfigError([`${option}: ${file} is empty; write the API key into it or remove ${option}`]);
  }
  return value;
}

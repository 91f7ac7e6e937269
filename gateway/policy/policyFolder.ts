import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_FILE, type PolicyFiles } from './compilePolicies.js';

/** Extension of a Cedar policy file inside a policy folder. */
export const POLICY_EXTENSION = '.cedar';

/**
 * Reads a policy folder: `schema.cedarschema` and every `*.cedar` file directly inside it.
 *
 * @throws Error naming the folder when it or its schema file is missing.
 */
export function readPolicyFolder(dir: string): PolicyFiles {
  if (!existsSync(dir)) throw new Error(`policy folder ${dir} does not exist`);

  const schemaPath = path.join(dir, SCHEMA_FILE);
  if (!existsSync(schemaPath)) throw new Error(`policy folder ${dir} has no ${SCHEMA_FILE}`);

  const policies: Record<string, string> = {};
  for (const file of readdirSync(dir).filter(isPolicyFile).sort()) {
    policies[file] = readFileSync(path.join(dir, file), 'utf8');
  }
  return { schema: readFileSync(schemaPath, 'utf8'), policies };
}

export function isPolicyFile(name: string): boolean {
  return name.endsWith(POLICY_EXTENSION) && !name.startsWith('.');
}

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

/** The part of js-yaml 3 the ops tests use; the package ships no type declarations. */
interface JsYaml {
  safeLoadAll(text: string): unknown[];
}

// js-yaml 3 comes with the test toolchain and is not a declared dependency of meshgate.
// Only these tests load it.
const jsYaml = createRequire(__filename)('js-yaml') as JsYaml;

/** Parses every YAML document of a file, skipping empty ones (a trailing `---`). */
export function readYamlDocuments(path: string): unknown[] {
  return jsYaml.safeLoadAll(readFileSync(path, 'utf8')).filter((document) => document !== null && document !== undefined);
}

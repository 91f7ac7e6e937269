import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_FILE, type PolicyFiles } from './compilePolicies.js';
import { isPolicyFile } from './policyFolder.js';

/**
 * Reads a policy folder as it was at git revision `revision`, with `git ls-tree` and `git show`.
 *
 * @throws Error when the revision is invalid or the folder or its schema does not exist there.
 */
export function readPolicyFolderAtRevision(dir: string, revision: string): PolicyFiles {
  if (revision.startsWith('-') || revision.length === 0) throw new Error(`invalid git revision "${revision}"`);

  const absolute = realpathSync(dir);
  const root = git(absolute, ['rev-parse', '--show-toplevel']).trim();
  const folder = path.relative(realpathSync(root), absolute).split(path.sep).join('/');
  const prefix = folder === '' ? '' : `${folder}/`;

  // From a subfolder, git ls-tree lists only the paths below the current folder, so every git call
  // runs from the top of the work tree with paths relative to it.
  const names = git(root, ['ls-tree', '--name-only', `${revision}:${folder}`]).split('\n').filter(Boolean);
  if (!names.includes(SCHEMA_FILE)) throw new Error(`${prefix}${SCHEMA_FILE} does not exist at revision ${revision}`);

  const policies: Record<string, string> = {};
  for (const name of names.filter(isPolicyFile).sort()) {
    policies[name] = git(root, ['show', `${revision}:${prefix}${name}`]);
  }
  return { schema: git(root, ['show', `${revision}:${prefix}${SCHEMA_FILE}`]), policies };
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`git ${args.join(' ')} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

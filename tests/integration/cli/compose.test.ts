import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'meshgate');

function meshgate(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('meshgate compose --check', () => {
  let schemaDir: string;

  beforeEach(() => {
    schemaDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-schema-'));
    cpSync(path.join(ROOT, 'schema'), schemaDir, { recursive: true });
  });

  afterEach(() => rmSync(schemaDir, { recursive: true, force: true }));

  it('passes on the checked-in schema', () => {
    const result = meshgate(['compose', '--check', '--schema-dir', schemaDir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('is up to date');
  });

  it('lists the lines of a stale file and fails', () => {
    const file = path.join(schemaDir, 'lake.graphql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  delay: Int\n', '  delay: Float\n'));
    const result = meshgate(['compose', '--check', '--schema-dir', schemaDir]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${path.basename(schemaDir)}/lake.graphql is stale:`);
    expect(result.stderr).toContain('-   delay: Float');
    expect(result.stderr).toContain('+   delay: Int');
  });

  it('writes the files that check then accepts', () => {
    rmSync(path.join(schemaDir, 'supergraph.graphql'));
    const written = meshgate(['compose', '--schema-dir', schemaDir]);
    const checked = meshgate(['compose', '--check', '--schema-dir', schemaDir]);
    expect(written.status).toBe(0);
    expect(checked.status).toBe(0);
  });
});

describe('meshgate configuration errors', () => {
  it('names the option, the expectation and the value', () => {
    const result = meshgate(['compose', '--check'], { MESHGATE_PAGINATION__MAX_PAGE_SIZE: '"lots"' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('Invalid configuration:\n  - pagination.maxPageSize: Invalid input: expected number, received string; found "lots"\n');
  });

  it('rejects an unknown service', () => {
    const result = meshgate(['serve', 'lakehouse']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown service "lakehouse"; expected one of');
  });
});

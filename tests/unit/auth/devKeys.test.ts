import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../../../core/config/index.js';
import { assertNotDevKeyInProduction, createAuthenticator, ensureDevKeys, issueDevToken } from '../../../gateway/auth/index.js';
import { registerTokenCommand } from '../../../cli/commands/token.js';
import { memoryLogger, REPO_POLICIES } from '../policy/policyFolderFixture.js';

const PERSONAS = path.join(REPO_POLICIES, 'personas.json');
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'meshgate-keys-'));

describe('ensureDevKeys', () => {
  it('writes the private key with mode 0600', async () => {
    const keys = await ensureDevKeys(tempDir());
    expect(statSync(keys.signingKeyFile).mode & 0o777).toBe(0o600);
  });

  it('reuses the keys of an earlier run', async () => {
    const dataDir = tempDir();
    const first = await ensureDevKeys(dataDir);
    const second = await ensureDevKeys(dataDir);
    expect(second.jwks.keys[0].kid).toBe(first.jwks.keys[0].kid);
  });

  it('publishes no private part in the JWKS', async () => {
    const keys = await ensureDevKeys(tempDir());
    expect(keys.jwks.keys[0].d).toBeUndefined();
  });
});

describe('issueDevToken', () => {
  it('issues a token the authenticator accepts', async () => {
    const dataDir = tempDir();
    const token = await issueDevToken('finance', { dataDir, issuer: 'dev', audience: 'meshgate', personasFile: PERSONAS });
    const { jwksFile } = await ensureDevKeys(dataDir);
    const authenticator = createAuthenticator({ jwksFile, issuer: 'dev', audience: 'meshgate', logger: memoryLogger().logger });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      id: 'persona-finance',
      attributes: { roles: ['finance'], department: 'finance', clearance: 3 },
    });
  });

  it('rejects an unknown persona listing the known ones', async () => {
    expect.assertions(1);
    await expect(issueDevToken('ceo', { dataDir: tempDir(), issuer: 'dev', audience: 'm', personasFile: PERSONAS })).rejects.toThrow(
      'unknown persona "ceo"; known personas: analyst, finance, auditor, partner, anonymous',
    );
  });

  it('rejects the anonymous persona', async () => {
    expect.assertions(1);
    await expect(issueDevToken('anonymous', { dataDir: tempDir(), issuer: 'dev', audience: 'm', personasFile: PERSONAS })).rejects.toThrow(
      'persona "anonymous" is a caller without a token; send no Authorization header',
    );
  });
});

describe('assertNotDevKeyInProduction', () => {
  it('rejects the development JWKS path in production', async () => {
    const dataDir = tempDir();
    const { jwksFile } = await ensureDevKeys(dataDir);
    expect(() => assertNotDevKeyInProduction({ environment: 'production', dataDir, auth: { jwksFile } })).toThrow(ConfigError);
    expect(() => assertNotDevKeyInProduction({ environment: 'production', dataDir, auth: { jwksFile } })).toThrow(
      `auth.jwksFile: ${jwksFile} holds the development signing key; in production set auth.jwksUrl or auth.jwksFile to the identity provider's keys`,
    );
  });

  it('rejects a copy of the development JWKS in production', async () => {
    const dataDir = tempDir();
    const { jwks } = await ensureDevKeys(dataDir);
    const copy = path.join(tempDir(), 'idp.json');
    writeFileSync(copy, JSON.stringify(jwks));
    expect(() => assertNotDevKeyInProduction({ environment: 'production', dataDir, auth: { jwksFile: copy } })).toThrow(ConfigError);
  });

  it('accepts the development JWKS in development', async () => {
    const dataDir = tempDir();
    const { jwksFile } = await ensureDevKeys(dataDir);
    expect(() => assertNotDevKeyInProduction({ environment: 'development', dataDir, auth: { jwksFile } })).not.toThrow();
  });
});

describe('token command', () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    let exitCode = 0;
    const program = new Command().exitOverride();
    registerTokenCommand(program, { out: (text) => out.push(text), err: (text) => err.push(text), setExitCode: (code) => (exitCode = code) });
    await program.parseAsync(['node', 'meshgate', 'token', ...args, '--personas', PERSONAS]);
    return { out, err, exitCode };
  }

  it('prints a three-part JWT for a persona', async () => {
    const { out, exitCode } = await run(['--persona', 'auditor', '--data-dir', tempDir(), '--ttl', '60']);
    expect(exitCode).toBe(0);
    expect(out[0].split('.')).toHaveLength(3);
  });

  it('exits non-zero for an unknown persona', async () => {
    const { err, exitCode } = await run(['--persona', 'ceo', '--data-dir', tempDir()]);
    expect(exitCode).toBe(1);
    expect(err).toEqual(['error: unknown persona "ceo"; known personas: analyst, finance, auditor, partner, anonymous']);
  });

  it('exits non-zero for a ttl that is not a whole number', async () => {
    const { err, exitCode } = await run(['--persona', 'auditor', '--data-dir', tempDir(), '--ttl', '1.5']);
    expect(exitCode).toBe(1);
    expect(err).toEqual(['error: --ttl must be a positive whole number of seconds; found "1.5"']);
  });
});

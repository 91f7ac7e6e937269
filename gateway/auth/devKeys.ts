import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { ConfigError } from '../../core/config/index.js';
import { findPersona, loadPersonas } from '../policy/personas.js';

/** Algorithm of the development signing key. */
export const DEV_KEY_ALGORITHM = 'ES256';

export interface DevKeyFiles {
  /** Private JWK, mode 0600. */
  signingKeyFile: string;
  /** Public JSON Web Key Set for the gateway's `jwksFile`. */
  jwksFile: string;
}

export interface DevKeys extends DevKeyFiles {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

/** Paths of the development key files under `<dataDir>/keys/`. */
export function devKeyFiles(dataDir: string): DevKeyFiles {
  const keysDir = path.join(dataDir, 'keys');
  return { signingKeyFile: path.join(keysDir, 'dev-signing-key.json'), jwksFile: path.join(keysDir, 'jwks.json') };
}

/**
 * Returns the development ES256 key pair, generating it into `<dataDir>/keys/` on first use. These
 * keys exist so that a laptop run can issue tokens; production must verify with its identity
 * provider's keys (see `assertNotDevKeyInProduction`).
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  const files = devKeyFiles(dataDir);
  if (existsSync(files.signingKeyFile) && existsSync(files.jwksFile)) return readDevKeys(files);

  const { privateKey, publicKey } = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: DEV_KEY_ALGORITHM, use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: DEV_KEY_ALGORITHM, use: 'sig' }] };

  mkdirSync(path.dirname(files.signingKeyFile), { recursive: true, mode: 0o700 });
  writeFileSync(files.signingKeyFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  chmodSync(files.signingKeyFile, 0o600);
  writeFileSync(files.jwksFile, `${JSON.stringify(jwks, null, 2)}\n`);
  return { ...files, privateJwk, jwks };
}

function readDevKeys(files: DevKeyFiles): DevKeys {
  const privateJwk = JSON.parse(readFileSync(files.signingKeyFile, 'utf8')) as JWK;
  const jwks = JSON.parse(readFileSync(files.jwksFile, 'utf8')) as JSONWebKeySet;
  return { ...files, privateJwk, jwks };
}

export interface DevTokenOptions {
  dataDir: string;
  issuer: string;
  audience: string;
  /** Lifetime of the token in seconds; default 3600. */
  ttlSeconds?: number;
  /** Personas file; default `policies/personas.json`. */
  personasFile?: string;
}

/**
 * Signs a development token carrying the claims of a persona of the personas file.
 *
 * @throws Error listing the known personas when `persona` is unknown, or when it has no claims.
 */
export async function issueDevToken(persona: string, options: DevTokenOptions): Promise<string> {
  const ttlSeconds = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error(`ttlSeconds must be a positive integer; found ${ttlSeconds}`);

  const found = findPersona(loadPersonas(options.personasFile ?? path.join('policies', 'personas.json')), persona);
  if (found.claims === null) throw new Error(`persona "${persona}" is a caller without a token; send no Authorization header`);

  const keys = await ensureDevKeys(options.dataDir);
  const signingKey = await importJWK(keys.privateJwk, DEV_KEY_ALGORITHM);
  return new SignJWT(found.claims)
    .setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: keys.privateJwk.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(signingKey);
}

/** The parts of the configuration that say where the gateway takes its verification keys. */
export interface AuthKeyConfig {
  environment: string;
  dataDir: string;
  auth?: { jwksFile?: string; jwksUrl?: string };
}

/**
 * Rejects a production configuration whose `auth.jwksFile` is the development JWKS, by path or by
 * holding the development key's kid, because anyone with the repository's data folder can sign
 * tokens with that key.
 *
 * @throws ConfigError naming `auth.jwksFile`.
 */
export function assertNotDevKeyInProduction(config: AuthKeyConfig): void {
  const jwksFile = config.auth?.jwksFile;
  if (config.environment !== 'production' || jwksFile === undefined) return;

  const devFiles = devKeyFiles(config.dataDir);
  const samePath = path.resolve(jwksFile) === path.resolve(devFiles.jwksFile);
  if (samePath || holdsDevKey(jwksFile, devFiles)) {
    throw new ConfigError([
      `auth.jwksFile: ${jwksFile} holds the development signing key; in production set auth.jwksUrl or auth.jwksFile to the identity provider's keys`,
    ]);
  }
}

function holdsDevKey(jwksFile: string, devFiles: DevKeyFiles): boolean {
  if (!existsSync(devFiles.signingKeyFile) || !existsSync(jwksFile)) return false;
  try {
    const devKid = (JSON.parse(readFileSync(devFiles.signingKeyFile, 'utf8')) as JWK).kid;
    const jwks = JSON.parse(readFileSync(jwksFile, 'utf8')) as JSONWebKeySet;
    return devKid !== undefined && jwks.keys.some((key) => key.kid === devKid);
  } catch {
    return false;
  }
}

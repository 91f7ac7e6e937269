import type { MeshConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logger.js';
import { assertNotDevKeyInProduction, devKeyFiles, ensureDevKeys } from '../auth/index.js';

/** Key source of the authenticator: exactly one of a JWKS URL and a JWKS file. */
export type VerificationKeys = { jwksUrl: string; jwksFile?: undefined } | { jwksFile: string; jwksUrl?: undefined };

/**
 * Resolves the key set of `auth`: the configured URL or file, else the development key set
 * `<dataDir>/keys/jwks.json`, which is generated on first use.
 *
 * @throws ConfigError naming `auth.jwksFile` when a production config uses the development keys,
 *   including by leaving both `auth.jwksUrl` and `auth.jwksFile` unset.
 */
export async function resolveVerificationKeys(config: MeshConfig, logger: Logger): Promise<VerificationKeys> {
  if (config.auth.jwksUrl !== undefined) return { jwksUrl: config.auth.jwksUrl };

  const jwksFile = config.auth.jwksFile ?? devKeyFiles(config.dataDir).jwksFile;
  assertNotDevKeyInProduction({ environment: config.environment, dataDir: config.dataDir, auth: { jwksFile } });
  if (config.auth.jwksFile === undefined) {
    await ensureDevKeys(config.dataDir);
    logger.warn({ jwksFile }, 'verifying tokens with the development key set; set auth.jwksUrl or auth.jwksFile outside development');
  }
  return { jwksFile };
}

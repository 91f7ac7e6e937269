import { createAuthenticator } from '../auth/index.js';
import { readMaskCatalog, useMasking } from '../masking/index.js';
import type { GatewayExtension, GatewayExtensionContext, GatewayExtensionFactory } from '../plugins.js';
import { CedarDecider, PolicyStore } from '../policy/index.js';
import { engineArgumentResolver } from './engineNaming.js';
import { PRINCIPAL_CONTEXT_KEY, principalFromContext } from './principal.js';
import { resolveVerificationKeys } from './verificationKeys.js';

/**
 * Creates the governance extension of the gateway: it authenticates the `Authorization` header of
 * each request into the context's `principal` (no header gives the anonymous principal, an invalid
 * token rejects the request with 401 UNAUTHENTICATED), and masks every governed field of the
 * supergraph with the Cedar policies of `governance.policiesDir`.
 *
 * One decider serves every request, so decisions are cached across requests per principal
 * attributes, action, field and policy version. With `governance.watchPolicies` the policies
 * reload when a file changes, and the next decision uses the new version.
 *
 * @throws ConfigError when the policies are invalid or a production config uses the development keys;
 *   MASK_CONFIG_INVALID when the supergraph's masking directives are invalid.
 */
export const createGovernanceExtension: GatewayExtensionFactory = async (context: GatewayExtensionContext): Promise<GatewayExtension> => {
  const { config } = context;
  const logger = context.logger.child({ component: 'governance' });
  const catalog = readMaskCatalog(context.supergraphSdl);
  const keys = await resolveVerificationKeys(config, logger);
  const authenticator = createAuthenticator({
    ...keys,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    claimsToAttributes: config.auth.claimsToAttributes,
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
    logger,
  });

  const store = PolicyStore.load({ dir: config.governance.policiesDir, logger });
  if (config.governance.watchPolicies) store.watch();
  const decider = new CedarDecider(store, { logger });
  const masking = useMasking<Record<string, unknown>>({
    catalog,
    decider,
    getPrincipal: principalFromContext,
    hmacSecret: config.governance.hmacSecret,
    argumentCoordinates: engineArgumentResolver(context.supergraphSdl),
    logger,
  });
  logger.info({ governedFields: catalog.size, policyVersion: store.version }, 'governance ready');

  return {
    name: 'governance',
    plugins: [masking],
    async extendContext(base) {
      const principal = await authenticator.authenticate(base.request.headers.authorization);
      return { [PRINCIPAL_CONTEXT_KEY]: principal };
    },
    async close() {
      store.close();
    },
  };
};

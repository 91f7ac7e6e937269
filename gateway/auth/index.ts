export { createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator.js';
export { claimsToPrincipal, DEFAULT_CLAIMS_TO_ATTRIBUTES } from './claims.js';
export {
  assertNotDevKeyInProduction,
  devKeyFiles,
  ensureDevKeys,
  issueDevToken,
  type AuthKeyConfig,
  type DevKeys,
  type DevTokenOptions,
} from './devKeys.js';
export { loadPersonas } from '../policy/personas.js';

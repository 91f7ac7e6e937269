import type { Plugin } from '@envelop/core';
import type { MeshConfig } from '../core/config/index.js';
import type { RequestContext, RouteHandler } from '../core/http/service.js';
import type { Logger } from '../core/logger.js';
import { createGovernanceExtension } from './governance/extension.js';
import { costControlExtension } from './costControl/extension.js';

/** Inputs a gateway extension is built from. */
export interface GatewayExtensionContext {
  readonly config: MeshConfig;
  readonly logger: Logger;
  readonly supergraphSdl: string;
}

/**
 * One concern of the gateway (governance, cost control…): envelop plugins, extra HTTP routes, and
 * what it adds to each request's context before execution (for example the authenticated principal).
 */
export interface GatewayExtension {
  readonly name: string;
  readonly plugins?: ReadonlyArray<Plugin<Record<string, unknown>>>;
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** Adds fields to the request context; a thrown GraphQLError rejects the request with its HTTP status. */
  extendContext?(base: RequestContext): Promise<Record<string, unknown>>;
  close?(): Promise<void>;
}

export type GatewayExtensionFactory = (context: GatewayExtensionContext) => Promise<GatewayExtension>;

/**
 * Factories of the gateway's extensions, in the order their `onExecute` hooks run: an extension
 * listed earlier rejects an operation before a later one sees it, and its `onExecuteDone` runs later.
 */
export const GATEWAY_EXTENSIONS: readonly GatewayExtensionFactory[] = [createGovernanceExtension, costControlExtension];

/** Builds every extension of the gateway. */
export async function createGatewayExtensions(context: GatewayExtensionContext): Promise<GatewayExtension[]> {
  const extensions: GatewayExtension[] = [];
  for (const factory of GATEWAY_EXTENSIONS) extensions.push(await factory(context));
  return extensions;
}

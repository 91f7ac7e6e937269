import { z } from 'zod';
import { lakeSection, warehouseSection } from './sections/dataProducts.js';
import { vectorSection } from './sections/vector.js';
import { autoscalingSectionSchema, budgetSectionSchema, costSectionSchema, limitsSectionSchema } from './sections/cost.js';
import { authConfigSchema, governanceConfigSchema } from './sections/governance.js';
import { inferenceConfigSchema } from './sections/inference.js';

const host = z.string().min(1);
const port = z.number().int().min(0).max(65535);

const subgraphService = z
  .object({
    host: host.default('127.0.0.1'),
    port,
    /** URL the gateway sends this subgraph's fetches to; defaults to http://host:port/graphql. */
    url: z.url().optional(),
  })
  .strict();

const pagination = z
  .object({
    /** Page size of a connection field when the request gives no `first`. */
    defaultPageSize: z.number().int().min(1).default(50),
    /** Largest `first` a request may give; above it the request fails with PAGE_SIZE_TOO_LARGE. */
    maxPageSize: z.number().int().min(1).default(1000),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.defaultPageSize <= value.maxPageSize) return;
    context.addIssue({
      code: 'custom',
      path: ['defaultPageSize'],
      message: `defaultPageSize ${value.defaultPageSize} must not exceed maxPageSize ${value.maxPageSize}`,
    });
  });

/** The whole configuration of a mesh: every service of it reads the same validated object. */
export const configSchema = z
  .object({
    /** `production` turns off development conveniences such as the landing page and introspection. */
    environment: z.enum(['development', 'production']).default('development'),
    /** Folder of the embedded backends: lake datasets, the warehouse database file, indexes, keys. */
    dataDir: z.string().min(1).default('data'),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
    pagination: pagination.prefault({}),
    auth: authConfigSchema.prefault({}),
    governance: governanceConfigSchema.prefault({}),
    gateway: z
      .object({
        host: host.default('127.0.0.1'),
        port: port.default(4000),
        /** Composed supergraph SDL the gateway serves. */
        supergraphPath: z.string().min(1).default('schema/supergraph.graphql'),
        /** Time to finish in-flight requests on SIGTERM before the process stops, in milliseconds. */
        shutdownGraceMs: z.number().int().min(0).default(10_000),
      })
      .strict()
      .prefault({}),
    subgraphs: z
      .object({
        lake: subgraphService.prefault({ port: 4101 }),
        warehouse: subgraphService.prefault({ port: 4102 }),
        vector: subgraphService.prefault({ port: 4103 }),
        inference: subgraphService.prefault({ port: 4104 }),
      })
      .strict()
      .prefault({}),
    lake: lakeSection.prefault({}),
    warehouse: warehouseSection.prefault({}),
    cost: costSectionSchema.prefault({}),
    limits: limitsSectionSchema.prefault({}),
    budget: budgetSectionSchema,
    autoscaling: autoscalingSectionSchema,
    vector: vectorSection.prefault({}),
    inference: inferenceConfigSchema.prefault({}),
  })
  .strict();

export type MeshConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type SubgraphName = keyof MeshConfig['subgraphs'];

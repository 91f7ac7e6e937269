import { z } from 'zod';

/**
 * Zod schemas of the Kubernetes fields the meshgate manifests rely on. They check the fields that
 * matter for these manifests, not the whole OpenAPI schema of each kind: no package with the
 * Kubernetes JSON schemas is installed.
 */

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 name');
const labels = z.record(z.string(), z.string());
const port = z.number().int().min(1).max(65535);
/** A quantity such as `500m`, `2`, `1Gi`, quoted or not. */
const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/), z.number().positive()]);
const positiveNumberString = z.string().refine((value) => Number(value) > 0, 'must be a positive number');

const metadata = z.object({ name: dnsLabel, namespace: dnsLabel.optional(), labels: labels.optional() }).passthrough();

const probe = z
  .object({
    httpGet: z.object({ path: z.string().startsWith('/'), port: z.union([port, z.string()]) }).optional(),
    tcpSocket: z.object({ port: z.union([port, z.string()]) }).optional(),
    exec: z.object({ command: z.array(z.string()).min(1) }).optional(),
    periodSeconds: z.number().int().positive().optional(),
    failureThreshold: z.number().int().positive().optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
  })
  .refine((value) => [value.httpGet, value.tcpSocket, value.exec].filter(Boolean).length === 1, 'needs exactly one handler');

export const containerSchema = z.object({
  name: dnsLabel,
  image: z.string().min(1),
  args: z.array(z.string()).optional(),
  ports: z.array(z.object({ name: z.string().optional(), containerPort: port })).min(1),
  env: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: dnsLabel }) })).optional(),
  readinessProbe: probe,
  livenessProbe: probe,
  resources: z.object({
    requests: z.object({ cpu: quantity, memory: quantity }),
    limits: z.record(z.string(), quantity).refine((value) => 'cpu' in value && 'memory' in value, 'needs cpu and memory'),
  }),
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })).optional(),
});

export const deploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: z.number().int().min(0).optional(),
    selector: z.object({ matchLabels: labels }),
    template: z.object({
      metadata: z.object({ labels, annotations: labels.optional() }),
      spec: z
        .object({
          containers: z.array(containerSchema).min(1),
          volumes: z.array(z.object({ name: z.string() }).passthrough()).optional(),
          nodeSelector: labels.optional(),
          tolerations: z.array(z.object({ key: z.string(), operator: z.enum(['Exists', 'Equal']), effect: z.string() })).optional(),
        })
        .passthrough(),
    }),
  }),
});

export const serviceSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.object({
    selector: labels,
    ports: z.array(z.object({ name: z.string().optional(), port, targetPort: z.union([port, z.string()]) })).min(1),
  }),
});

export const configMapSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata,
  data: z.record(z.string(), z.string()),
});

export const persistentVolumeClaimSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('PersistentVolumeClaim'),
  metadata,
  spec: z.object({
    accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).min(1),
    resources: z.object({ requests: z.object({ storage: quantity }) }),
  }),
});

export const horizontalPodAutoscalerSchema = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata,
  spec: z
    .object({
      scaleTargetRef: z.object({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), name: dnsLabel }),
      minReplicas: z.number().int().min(1),
      maxReplicas: z.number().int().min(1),
      metrics: z
        .array(
          z.object({
            type: z.literal('External'),
            external: z.object({
              metric: z.object({ name: z.string(), selector: z.object({ matchLabels: labels }) }),
              target: z.object({ type: z.literal('AverageValue'), averageValue: positiveNumberString }),
            }),
          }),
        )
        .min(1),
      behavior: z.object({ scaleDown: z.object({ stabilizationWindowSeconds: z.number().int().min(0).max(3600) }) }).optional(),
    })
    .refine((spec) => spec.minReplicas <= spec.maxReplicas, 'minReplicas must not exceed maxReplicas'),
});

export const scaledObjectSchema = z.object({
  apiVersion: z.literal('keda.sh/v1alpha1'),
  kind: z.literal('ScaledObject'),
  metadata,
  spec: z
    .object({
      scaleTargetRef: z.object({ name: dnsLabel }),
      minReplicaCount: z.number().int().min(0),
      maxReplicaCount: z.number().int().min(1),
      pollingInterval: z.number().int().positive().optional(),
      cooldownPeriod: z.number().int().positive().optional(),
      advanced: z.unknown().optional(),
      triggers: z
        .array(
          z.object({
            type: z.literal('prometheus'),
            metadata: z.object({ serverAddress: z.url(), query: z.string().min(1), threshold: positiveNumberString }),
          }),
        )
        .min(1),
    })
    .refine((spec) => spec.minReplicaCount <= spec.maxReplicaCount, 'minReplicaCount must not exceed maxReplicaCount'),
});

export const kustomizationSchema = z.object({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  resources: z.array(z.string()).min(1),
});

/** Schema of each kind the manifests may contain, by `apiVersion/kind`. */
export const schemasByKind: Record<string, z.ZodType> = {
  'apps/v1/Deployment': deploymentSchema,
  'v1/Service': serviceSchema,
  'v1/ConfigMap': configMapSchema,
  'v1/PersistentVolumeClaim': persistentVolumeClaimSchema,
  'autoscaling/v2/HorizontalPodAutoscaler': horizontalPodAutoscalerSchema,
  'keda.sh/v1alpha1/ScaledObject': scaledObjectSchema,
  'kustomize.config.k8s.io/v1beta1/Kustomization': kustomizationSchema,
};

export type Deployment = z.infer<typeof deploymentSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type HorizontalPodAutoscaler = z.infer<typeof horizontalPodAutoscalerSchema>;
export type ScaledObject = z.infer<typeof scaledObjectSchema>;
export type Kustomization = z.infer<typeof kustomizationSchema>;

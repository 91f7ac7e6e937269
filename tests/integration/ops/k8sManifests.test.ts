import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { definedMetricNames, meshgateMetricsIn } from './definedMetrics.js';
import {
  deploymentSchema,
  schemasByKind,
  type Deployment,
  type HorizontalPodAutoscaler,
  type Kustomization,
  type ScaledObject,
  type Service,
} from './kubernetesSchemas.js';
import { probePortProblems, scaleTargetProblems, selectorProblems, serviceProblems, volumeProblems } from './manifestChecks.js';
import { readYamlDocuments } from './yaml.js';

const K8S_DIR = join(__dirname, '..', '..', '..', 'ops', 'k8s');
const SUBGRAPHS = ['lake', 'warehouse', 'vector', 'inference'];

interface Manifest {
  file: string;
  document: { apiVersion: string; kind: string } & Record<string, unknown>;
}

function yamlFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const files = yamlFiles(K8S_DIR);
const manifests: Manifest[] = files.flatMap((file) => readYamlDocuments(file).map((document) => ({ file, document: document as Manifest['document'] })));

function ofKind<T>(kind: string): T[] {
  return manifests.filter((manifest) => manifest.document.kind === kind).map((manifest) => manifest.document as unknown as T);
}

const deployments = ofKind<Deployment>('Deployment');
const services = ofKind<Service>('Service');
const scaledObjects = ofKind<ScaledObject>('ScaledObject');
const autoscalers = ofKind<HorizontalPodAutoscaler>('HorizontalPodAutoscaler');

describe('Kubernetes manifests', () => {
  it('parse with a kind each', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const manifest of manifests) {
      expect(typeof manifest.document.apiVersion).toBe('string');
      expect(typeof manifest.document.kind).toBe('string');
    }
  });

  it('match the schema of their kind', () => {
    const problems = manifests.flatMap(({ file, document }) => {
      const schema = schemasByKind[`${document.apiVersion}/${document.kind}`];
      const where = `${relative(K8S_DIR, file)} ${document.kind}`;
      if (schema === undefined) return [`${where}: no schema for ${document.apiVersion} ${document.kind}`];
      const result = schema.safeParse(document);
      return result.success ? [] : result.error.issues.map((issue) => `${where}: ${issue.path.join('.')}: ${issue.message}`);
    });

    expect(problems).toEqual([]);
  });

  it('select their own pod labels', () => {
    expect(deployments.flatMap(selectorProblems)).toEqual([]);
  });

  it('probe declared container ports', () => {
    expect(deployments.flatMap(probePortProblems)).toEqual([]);
  });

  it('mount only declared volumes', () => {
    expect(deployments.flatMap(volumeProblems)).toEqual([]);
  });

  it('route each Service to a Deployment port', () => {
    expect(services.flatMap((service) => serviceProblems(service, deployments))).toEqual([]);
  });

  it('probe readiness and liveness of the mesh', () => {
    for (const name of ['gateway', ...SUBGRAPHS]) {
      const container = deployments.find((deployment) => deployment.metadata.name === name)?.spec.template.spec.containers[0];
      expect(container?.readinessProbe.httpGet?.path).toBe('/readyz');
      expect(container?.livenessProbe.httpGet?.path).toBe('/healthz');
      expect(container?.args).toEqual(['serve', name]);
    }
  });

  it('give inference a GPU node', () => {
    const inference = deployments.find((deployment) => deployment.metadata.name === 'inference');
    const podSpec = inference?.spec.template.spec;

    expect(podSpec?.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(podSpec?.tolerations?.map((toleration) => toleration.key)).toContain('nvidia.com/gpu');
    expect(podSpec?.nodeSelector).toBeDefined();
  });

  it('scale every subgraph with KEDA', () => {
    expect(scaledObjects.map((scaler) => scaler.spec.scaleTargetRef.name).sort()).toEqual([...SUBGRAPHS].sort());
    expect(scaledObjects.flatMap((scaler) => scaleTargetProblems(scaler, deployments))).toEqual([]);
  });

  it('trigger KEDA on the subgraph cost rate', async () => {
    const defined = await definedMetricNames();
    for (const scaler of scaledObjects) {
      const query = scaler.spec.triggers[0].metadata.query;
      const used = meshgateMetricsIn(query);

      expect(used.length).toBeGreaterThan(0);
      expect(used.filter((name) => !defined.has(name))).toEqual([]);
      expect(query).toContain(`subgraph="${scaler.spec.scaleTargetRef.name}"`);
    }
  });

  it('scale every subgraph with the HPA alternative', async () => {
    const defined = await definedMetricNames();

    expect(autoscalers.map((autoscaler) => autoscaler.spec.scaleTargetRef.name).sort()).toEqual([...SUBGRAPHS].sort());
    expect(autoscalers.flatMap((autoscaler) => scaleTargetProblems(autoscaler, deployments))).toEqual([]);
    for (const autoscaler of autoscalers) {
      const metric = autoscaler.spec.metrics[0].external.metric;
      expect(defined.has(metric.name)).toBe(true);
      expect(metric.selector.matchLabels.subgraph).toBe(autoscaler.spec.scaleTargetRef.name);
    }
  });

  it('use one capacity per subgraph in KEDA and HPA', () => {
    for (const name of SUBGRAPHS) {
      const keda = scaledObjects.find((scaler) => scaler.spec.scaleTargetRef.name === name);
      const hpa = autoscalers.find((autoscaler) => autoscaler.spec.scaleTargetRef.name === name);

      expect(hpa?.spec.metrics[0].external.target.averageValue).toBe(keda?.spec.triggers[0].metadata.threshold);
      expect(hpa?.spec.minReplicas).toBe(keda?.spec.minReplicaCount);
      expect(hpa?.spec.maxReplicas).toBe(keda?.spec.maxReplicaCount);
    }
  });

  it('list existing resources in kustomizations', () => {
    const kustomizations = manifests.filter((manifest) => manifest.document.kind === 'Kustomization');
    const missing = kustomizations.flatMap(({ file, document }) =>
      (document as unknown as Kustomization).resources
        .map((resource) => join(dirname(file), resource))
        .filter((path) => !(existsSync(path) && (statSync(path).isFile() || existsSync(join(path, 'kustomization.yaml'))))),
    );

    expect(kustomizations.length).toBeGreaterThanOrEqual(3);
    expect(missing).toEqual([]);
  });

  it('list every manifest file in a kustomization', () => {
    const listed = new Set(
      manifests
        .filter((manifest) => manifest.document.kind === 'Kustomization')
        .flatMap(({ file, document }) => (document as unknown as Kustomization).resources.map((resource) => join(dirname(file), resource))),
    );
    const unlisted = files.filter((file) => !file.endsWith('kustomization.yaml') && !listed.has(file));

    expect(unlisted).toEqual([]);
  });
});

describe('manifest checks', () => {
  const broken = deploymentSchema.parse({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'lake' },
    spec: {
      selector: { matchLabels: { app: 'lake' } },
      template: {
        metadata: { labels: { app: 'warehouse' } },
        spec: {
          containers: [
            {
              name: 'lake',
              image: 'meshgate:0.1.0',
              ports: [{ containerPort: 4101 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 4102 } },
              livenessProbe: { httpGet: { path: '/healthz', port: 4101 } },
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
        },
      },
    },
  });

  it('report a selector missing its pods', () => {
    expect(selectorProblems(broken)).toEqual(['lake: selector app=lake does not match the pod template labels']);
  });

  it('report a probe on an undeclared port', () => {
    expect(probePortProblems(broken)).toEqual(['lake/lake: readinessProbe port 4102 is not a container port']);
  });

  it('report a mount without a volume', () => {
    expect(volumeProblems(broken)).toEqual(['lake/lake: volume mount data names no volume']);
  });

  it('report a Service without pods', () => {
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lake' },
      spec: { selector: { app: 'lake' }, ports: [{ port: 4101, targetPort: 4101 }] },
    };

    expect(serviceProblems(service, [broken])).toEqual(["Service lake: selector matches no Deployment's pods"]);
  });

  it('reject a zero KEDA threshold', () => {
    const scaler = scaledObjects[0];
    const zero = { ...scaler, spec: { ...scaler.spec, triggers: [{ ...scaler.spec.triggers[0], metadata: { ...scaler.spec.triggers[0].metadata, threshold: '0' } }] } };

    expect(schemasByKind['keda.sh/v1alpha1/ScaledObject'].safeParse(zero).success).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definedMetricNames, meshgateMetricsIn } from './definedMetrics.js';
import { readYamlDocuments } from './yaml.js';

const ROOT = join(__dirname, '..', '..', '..');
const MESH_SERVICES = ['gateway', 'lake', 'warehouse', 'vector', 'inference'];

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  profiles?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources: { reservations: { devices: { capabilities: string[] }[] } } };
}

const compose = readYamlDocuments(join(ROOT, 'docker-compose.yml'))[0] as { services: Record<string, ComposeService> };

describe('docker-compose.yml', () => {
  it('validates with docker-compose config', () => {
    const run = (args: string[]) => execFileSync('docker-compose', [...args, 'config', '-q'], { cwd: ROOT, stdio: 'pipe' });

    expect(() => run([])).not.toThrow();
    expect(() => run(['--profile', 'elasticsearch', '--profile', 'weaviate', '--profile', 'model-server'])).not.toThrow();
  });

  it('runs the mesh from one image', () => {
    for (const name of MESH_SERVICES) {
      expect(compose.services[name].image).toBe('meshgate:local');
      expect(compose.services[name].command).toEqual(['serve', name]);
      expect(compose.services[name].depends_on?.pipeline.condition).toBe('service_completed_successfully');
    }
  });

  it('binds published ports to 127.0.0.1', () => {
    const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);

    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((entry) => !entry.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('keeps optional backends behind profiles', () => {
    expect(compose.services.elasticsearch.profiles).toEqual(['elasticsearch']);
    expect(compose.services.weaviate.profiles).toEqual(['weaviate']);
    expect(compose.services['model-server'].profiles).toEqual(['model-server']);
    expect(compose.services['model-server'].deploy?.resources.reservations.devices[0].capabilities).toEqual(['gpu']);
  });

  it('mounts ops files that exist', () => {
    const mounts = Object.values(compose.services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0])
      .filter((source) => source.startsWith('./ops/prometheus') || source.startsWith('./ops/grafana'));

    expect(mounts.length).toBe(3);
    expect(mounts.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('starts the CLI as a non-root user', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/meshgate"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "gateway"\]$/m);
  });

  it('checks health on /healthz', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
  });
});

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
}

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'ops/grafana/dashboards/meshgate.json'), 'utf8')) as { panels: Panel[] };
  const datasources = readYamlDocuments(join(ROOT, 'ops/grafana/provisioning/datasources/prometheus.yml'))[0] as {
    datasources: { uid: string; url: string }[];
  };

  it('queries a defined meshgate metric in every panel', async () => {
    const defined = await definedMetricNames();

    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      const used = panel.targets.flatMap((target) => meshgateMetricsIn(target.expr));
      expect({ panel: panel.title, used: used.length > 0 }).toEqual({ panel: panel.title, used: true });
      expect(used.filter((name) => !defined.has(name))).toEqual([]);
    }
  });

  it('compares desired with running replicas', () => {
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join('\n');

    expect(expressions).toContain('meshgate_desired_replicas');
    expect(expressions).toContain('kube_deployment_status_replicas');
  });

  it('reads the provisioned data source', () => {
    const uids = new Set(datasources.datasources.map((source) => source.uid));

    expect(dashboard.panels.filter((panel) => !uids.has(panel.datasource.uid))).toEqual([]);
  });
});

describe('Prometheus config', () => {
  it('scrapes the gateway metrics', () => {
    const config = readYamlDocuments(join(ROOT, 'ops/prometheus/prometheus.yml'))[0] as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };

    expect(config.scrape_configs[0].metrics_path).toBe('/metrics');
    expect(config.scrape_configs[0].static_configs[0].targets).toEqual(['gateway:4000']);
  });
});

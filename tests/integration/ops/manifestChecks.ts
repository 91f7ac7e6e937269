import type { Deployment, HorizontalPodAutoscaler, ScaledObject, Service } from './kubernetesSchemas.js';

/**
 * Cross-field checks of Kubernetes manifests that a per-document schema cannot express. Each
 * returns the problems it found as sentences, so a failing test lists them all.
 */

export function selectorProblems(deployment: Deployment): string[] {
  const templateLabels = deployment.spec.template.metadata.labels;
  return Object.entries(deployment.spec.selector.matchLabels)
    .filter(([key, value]) => templateLabels[key] !== value)
    .map(([key, value]) => `${deployment.metadata.name}: selector ${key}=${value} does not match the pod template labels`);
}

export function probePortProblems(deployment: Deployment): string[] {
  const problems: string[] = [];
  for (const container of deployment.spec.template.spec.containers) {
    const declared = new Set<number | string>(container.ports.flatMap((entry) => [entry.containerPort, ...(entry.name ? [entry.name] : [])]));
    for (const [kind, probe] of [['readinessProbe', container.readinessProbe], ['livenessProbe', container.livenessProbe]] as const) {
      const probePort = probe.httpGet?.port ?? probe.tcpSocket?.port;
      if (probePort !== undefined && !declared.has(probePort)) {
        problems.push(`${deployment.metadata.name}/${container.name}: ${kind} port ${probePort} is not a container port`);
      }
    }
  }
  return problems;
}

export function volumeProblems(deployment: Deployment): string[] {
  const volumes = new Set((deployment.spec.template.spec.volumes ?? []).map((volume) => volume.name));
  return deployment.spec.template.spec.containers.flatMap((container) =>
    (container.volumeMounts ?? [])
      .filter((mount) => !volumes.has(mount.name))
      .map((mount) => `${deployment.metadata.name}/${container.name}: volume mount ${mount.name} names no volume`),
  );
}

export function serviceProblems(service: Service, deployments: Deployment[]): string[] {
  const target = deployments.find((deployment) =>
    Object.entries(service.spec.selector).every(([key, value]) => deployment.spec.template.metadata.labels[key] === value),
  );
  if (target === undefined) return [`Service ${service.metadata.name}: selector matches no Deployment's pods`];

  const containerPorts = new Set<number | string>(
    target.spec.template.spec.containers.flatMap((container) => container.ports.flatMap((entry) => [entry.containerPort, ...(entry.name ? [entry.name] : [])])),
  );
  return service.spec.ports
    .filter((entry) => !containerPorts.has(entry.targetPort))
    .map((entry) => `Service ${service.metadata.name}: targetPort ${entry.targetPort} is not a port of ${target.metadata.name}`);
}

export function scaleTargetProblems(scaler: ScaledObject | HorizontalPodAutoscaler, deployments: Deployment[]): string[] {
  const name = scaler.spec.scaleTargetRef.name;
  if (deployments.some((deployment) => deployment.metadata.name === name)) return [];
  return [`${scaler.kind} ${scaler.metadata.name}: scaleTargetRef names no Deployment (${name})`];
}

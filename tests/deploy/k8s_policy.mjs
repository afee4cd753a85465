// Policy over rendered Kubernetes objects: what every etnik workload must have, and which
// network flows the NetworkPolicies allow. Pure functions over parsed objects, so the tests can
// also feed them broken copies and see each rule fail.

export const SERVICES = {
  registration: { grpc: 50051, metrics: 9101, api: "etnik.registration.v1.RegistrationService" },
  hubs: { grpc: 50052, metrics: 9102, api: "etnik.hubs.v1.HubsService" },
  scheduling: { grpc: 50053, metrics: 9103, api: "etnik.scheduling.v1.SchedulingService" },
  notifications: { grpc: 50054, metrics: 9104, api: "etnik.notifications.v1.NotificationsService" },
  gateway: { grpc: 50055, metrics: 9105, http: 8080 },
};
export const DATA_SERVICES = ["registration", "hubs", "scheduling", "notifications"];
const REQUIRED_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of",
                         "app.kubernetes.io/managed-by"];

// Go duration ("5s", "250ms", "1m30s") in seconds.
export function durationSeconds(text) {
  const units = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  if (text === "0") return 0;
  if (matched !== text.length || matched === 0) throw new Error(`not a duration: ${text}`);
  return total;
}

function labelsMatch(selector, labels) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const ns = (o) => o.metadata.namespace;

// The namespace every namespaced object must be in, from the overlay's Namespace object.
function overlayNamespace(objects) {
  const spaces = byKind(objects, "Namespace");
  return spaces.length === 1 ? spaces[0].metadata.name : undefined;
}

function containerEnv(container, configMaps) {
  const env = {};
  for (const from of container.envFrom || []) {
    if (from.configMapRef) Object.assign(env, configMaps[from.configMapRef.name]?.data || {});
  }
  for (const e of container.env || []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

function checkSecurity(where, podSpec, container, problems) {
  const pod = podSpec.securityContext || {};
  const sc = container.securityContext || {};
  if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) problems.push(`${where}: runAsNonRoot is not true`);
  if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${where}: runs as uid 0`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
  if (!(sc.capabilities?.drop || []).includes("ALL")) problems.push(`${where}: capabilities do not drop ALL`);
  if ((sc.capabilities?.add || []).length) problems.push(`${where}: adds capabilities`);
  if (sc.privileged) problems.push(`${where}: privileged`);
  const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
  if (seccomp !== "RuntimeDefault") problems.push(`${where}: seccompProfile is not RuntimeDefault`);
  if (podSpec.hostNetwork || podSpec.hostPID || podSpec.hostIPC) problems.push(`${where}: uses host namespaces`);
}

function checkResources(where, container, problems) {
  const r = container.resources || {};
  if (!r.requests?.cpu) problems.push(`${where}: no cpu request`);
  if (!r.requests?.memory) problems.push(`${where}: no memory request`);
  if (!r.limits?.memory) problems.push(`${where}: no memory limit`);
}

function checkLabels(where, labels, problems) {
  for (const l of REQUIRED_LABELS) if (!labels?.[l]) problems.push(`${where}: label ${l} missing`);
  if (labels?.["app.kubernetes.io/part-of"] && labels["app.kubernetes.io/part-of"] !== "etnik") {
    problems.push(`${where}: app.kubernetes.io/part-of is not etnik`);
  }
}

// References to ConfigMaps and Secrets from a pod template: [kind, name, where].
function podReferences(podSpec) {
  const refs = [];
  for (const c of [...(podSpec.containers || []), ...(podSpec.initContainers || [])]) {
    for (const f of c.envFrom || []) {
      if (f.configMapRef) refs.push(["ConfigMap", f.configMapRef.name]);
      if (f.secretRef) refs.push(["Secret", f.secretRef.name]);
    }
    for (const e of c.env || []) {
      if (e.valueFrom?.configMapKeyRef) refs.push(["ConfigMap", e.valueFrom.configMapKeyRef.name]);
      if (e.valueFrom?.secretKeyRef) refs.push(["Secret", e.valueFrom.secretKeyRef.name]);
    }
  }
  for (const v of podSpec.volumes || []) {
    if (v.configMap) refs.push(["ConfigMap", v.configMap.name]);
    if (v.secret) refs.push(["Secret", v.secret.secretName]);
  }
  return refs;
}

// Rules for every workload. options: {minReplicas, externalSecrets: [names the operator creates]}.
export function checkWorkloads(objects, options) {
  const problems = [];
  const namespace = overlayNamespace(objects);
  if (!namespace) problems.push("exactly one Namespace object expected");
  for (const o of objects) {
    if (o.kind !== "Namespace" && ns(o) !== namespace) {
      problems.push(`${o.kind}/${o.metadata.name}: namespace ${ns(o)} is not ${namespace}`);
    }
  }
  const nsObject = byKind(objects, "Namespace")[0];
  if (nsObject?.metadata.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted") {
    problems.push("the Namespace does not enforce the restricted Pod Security Standard");
  }

  const configMaps = Object.fromEntries(byKind(objects, "ConfigMap").map((c) => [c.metadata.name, c]));
  const names = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
  const deployments = byKind(objects, "Deployment");
  const statefulSets = byKind(objects, "StatefulSet");

  const deployed = deployments.map((d) => d.metadata.name).sort();
  const expected = Object.keys(SERVICES).sort();
  if (JSON.stringify(deployed) !== JSON.stringify(expected)) {
    problems.push(`Deployments are ${deployed.join(",")}, expected ${expected.join(",")}`);
  }

  for (const w of [...deployments, ...statefulSets]) {
    const where = `${w.kind}/${w.metadata.name}`;
    const tpl = w.spec.template;
    const podSpec = tpl.spec;
    checkLabels(where, w.metadata.labels, problems);
    checkLabels(`${where} pod template`, tpl.metadata.labels, problems);
    if (!labelsMatch(w.spec.selector, tpl.metadata.labels || {})) problems.push(`${where}: selector does not match its pods`);
    if (podSpec.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    for (const [kind, name] of podReferences(podSpec)) {
      if (!names.has(`${kind}/${name}`) && !(kind === "Secret" && options.externalSecrets?.includes(name))) {
        problems.push(`${where}: refers to ${kind}/${name}, which is not rendered`);
      }
    }
    for (const c of podSpec.containers) {
      const cw = `${where} container ${c.name}`;
      checkSecurity(cw, podSpec, c, problems);
      checkResources(cw, c, problems);
      if (!/:[^/]+$/.test(c.image) || c.image.endsWith(":latest")) problems.push(`${cw}: image ${c.image} has no fixed tag`);
      for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        if (!c[p]) problems.push(`${cw}: no ${p}`);
      }
    }
    // Some pod must be able to serve: a Service selects these pods.
    if (!byKind(objects, "Service").some((s) => s.spec.selector && labelsMatch({ matchLabels: s.spec.selector }, tpl.metadata.labels))) {
      problems.push(`${where}: no Service selects its pods`);
    }
  }

  for (const d of deployments) {
    const name = d.metadata.name;
    const svc = SERVICES[name];
    if (!svc) continue;
    const where = `Deployment/${name}`;
    const podSpec = d.spec.template.spec;
    const c = podSpec.containers.find((x) => x.name === name);
    if (!c) {
      problems.push(`${where}: no container named ${name}`);
      continue;
    }
    const port = (n) => (c.ports || []).find((p) => p.name === n)?.containerPort;
    if (port("grpc") !== svc.grpc) problems.push(`${where}: grpc port is ${port("grpc")}, expected ${svc.grpc}`);
    if (port("metrics") !== svc.metrics) problems.push(`${where}: metrics port is ${port("metrics")}, expected ${svc.metrics}`);
    if (svc.http && port("http") !== svc.http) problems.push(`${where}: http port is ${port("http")}, expected ${svc.http}`);
    for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const probePort = c[p]?.grpc?.port;
      if (typeof probePort !== "number") problems.push(`${where}: ${p} is not a gRPC probe on a numeric port`);
      else if (probePort !== svc.grpc) problems.push(`${where}: ${p} checks port ${probePort}, not the gRPC port ${svc.grpc}`);
    }
    if (svc.api && c.readinessProbe?.grpc?.service !== svc.api) {
      problems.push(`${where}: readiness does not check ${svc.api}`);
    }
    const env = containerEnv(c, configMaps);
    if (env.ETNIK_GRPC_ADDRESS !== `0.0.0.0:${svc.grpc}`) problems.push(`${where}: ETNIK_GRPC_ADDRESS is ${env.ETNIK_GRPC_ADDRESS}`);
    if (env.ETNIK_METRICS_ADDRESS !== `0.0.0.0:${svc.metrics}`) problems.push(`${where}: ETNIK_METRICS_ADDRESS is ${env.ETNIK_METRICS_ADDRESS}`);
    if (svc.http && env.ETNIK_HTTP_ADDRESS !== `0.0.0.0:${svc.http}`) problems.push(`${where}: ETNIK_HTTP_ADDRESS is ${env.ETNIK_HTTP_ADDRESS}`);
    if (d.spec.template.metadata.annotations?.["prometheus.io/port"] !== String(svc.metrics)) {
      problems.push(`${where}: prometheus.io/port annotation is not ${svc.metrics}`);
    }
    // Graceful termination: the kubelet must not kill the process before it has drained.
    try {
      const drain = durationSeconds(env.ETNIK_DRAIN_DELAY ?? "0s");
      const grace = durationSeconds(env.ETNIK_SHUTDOWN_GRACE ?? "10s");
      const period = podSpec.terminationGracePeriodSeconds ?? 30;
      if (!(period > drain + grace)) {
        problems.push(`${where}: terminationGracePeriodSeconds ${period} is not longer than drain ${drain}s + grace ${grace}s`);
      }
      if (env.ETNIK_DRAIN_DELAY === undefined || drain <= 0) problems.push(`${where}: no drain delay, so calls race the endpoint removal`);
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    if (DATA_SERVICES.includes(name)) {
      if (!/^postgresql:\/\//.test(env.ETNIK_DATABASE_URL || "")) problems.push(`${where}: ETNIK_DATABASE_URL is not PostgreSQL`);
      if (/:[^@/]*@/.test(env.ETNIK_DATABASE_URL || "")) problems.push(`${where}: ETNIK_DATABASE_URL holds a password`);
      if (!env.ETNIK_JWT_KEY_FILE) problems.push(`${where}: no ETNIK_JWT_KEY_FILE`);
      const keyDir = (env.ETNIK_JWT_KEY_FILE || "").replace(/\/[^/]*$/, "");
      const mount = (c.volumeMounts || []).find((m) => m.mountPath === keyDir);
      const volume = podSpec.volumes?.find((v) => v.name === mount?.name);
      if (!volume?.secret) problems.push(`${where}: the JWT key file is not mounted from a Secret`);
    }

    const pdbs = byKind(objects, "PodDisruptionBudget").filter((p) => labelsMatch(p.spec.selector, d.spec.template.metadata.labels));
    if (pdbs.length !== 1) problems.push(`${where}: ${pdbs.length} PodDisruptionBudgets select it, expected 1`);
    const hpas = byKind(objects, "HorizontalPodAutoscaler").filter(
      (h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === name);
    if (hpas.length !== 1) {
      problems.push(`${where}: ${hpas.length} HorizontalPodAutoscalers target it, expected 1`);
    } else {
      const h = hpas[0].spec;
      if (h.minReplicas < options.minReplicas) problems.push(`${where}: HPA minReplicas ${h.minReplicas} < ${options.minReplicas}`);
      if (h.maxReplicas < h.minReplicas) problems.push(`${where}: HPA maxReplicas below minReplicas`);
      const cpu = (h.metrics || []).some((m) => m.resource?.name === "cpu");
      if (cpu && !c.resources?.requests?.cpu) problems.push(`${where}: HPA scales on cpu without a cpu request`);
    }
    if ((d.spec.replicas ?? 1) < options.minReplicas) problems.push(`${where}: replicas ${d.spec.replicas} < ${options.minReplicas}`);
    if (options.maxReplicas !== undefined && (d.spec.replicas ?? 1) > options.maxReplicas) {
      problems.push(`${where}: replicas ${d.spec.replicas} > ${options.maxReplicas}`);
    }
  }
  return problems;
}

// ---- NetworkPolicy flows ----

function portMatches(rulePorts, dst, port, protocol) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol || "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === "number" ? p.port : dst.namedPorts?.[p.port];
    if (number === undefined) return false;
    return p.endPort ? port >= number && port <= p.endPort : port === number;
  });
}

function ipInCidr(ip, cidr) {
  const [base, bits] = cidr.split("/");
  const toInt = (a) => a.split(".").reduce((n, x) => (n << 8) + Number(x), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}

function peerMatches(peer, actor, policyNamespace) {
  if (peer.ipBlock) {
    if (!actor.ip) return false;
    return ipInCidr(actor.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except || []).some((c) => ipInCidr(actor.ip, c));
  }
  if (!actor.namespace) return false;  // an address outside the cluster is only matched by ipBlock
  if (peer.namespaceSelector) {
    if (!labelsMatch(peer.namespaceSelector, actor.namespaceLabels)) return false;
  } else if (actor.namespace !== policyNamespace) {
    return false;
  }
  return peer.podSelector ? labelsMatch(peer.podSelector, actor.labels) : true;
}

function selects(policy, actor) {
  return actor.namespace === ns(policy) && labelsMatch(policy.spec.podSelector, actor.labels);
}

function types(policy) {
  return policy.spec.policyTypes || (policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
}

function allowedBy(policies, direction, self, other, dst, port, protocol) {
  const relevant = policies.filter((p) => types(p).includes(direction) && selects(p, self));
  if (relevant.length === 0) return true;
  const key = direction === "Ingress" ? "ingress" : "egress";
  const peers = direction === "Ingress" ? "from" : "to";
  return relevant.some((p) => (p.spec[key] || []).some((rule) =>
    (!rule[peers] || rule[peers].length === 0 || rule[peers].some((peer) => peerMatches(peer, other, ns(p)))) &&
    portMatches(rule.ports, dst, port, protocol)));
}

// Every (source, destination, port/protocol) the policies allow, among the pods of the overlay
// and the actors around them: Prometheus, cluster DNS, a pod of another namespace, the internet,
// and the external datastore addresses (Endpoints of Services without a selector).
export function allowedFlows(objects) {
  const namespace = overlayNamespace(objects);
  const nsLabels = { "kubernetes.io/metadata.name": namespace, ...(byKind(objects, "Namespace")[0]?.metadata.labels || {}) };
  const policies = byKind(objects, "NetworkPolicy");
  const actors = [];
  for (const w of [...byKind(objects, "Deployment"), ...byKind(objects, "StatefulSet")]) {
    const ports = [];
    const namedPorts = {};
    for (const c of w.spec.template.spec.containers) {
      for (const p of c.ports || []) {
        ports.push([p.containerPort, p.protocol || "TCP"]);
        if (p.name) namedPorts[p.name] = p.containerPort;
      }
    }
    actors.push({ name: w.metadata.name, namespace, namespaceLabels: nsLabels, labels: w.spec.template.metadata.labels,
                  ports, namedPorts, inside: true });
  }
  actors.push({ name: "prometheus", namespace: "monitoring", namespaceLabels: { "kubernetes.io/metadata.name": "monitoring" },
                labels: { "app.kubernetes.io/name": "prometheus" }, ports: [] });
  actors.push({ name: "kube-dns", namespace: "kube-system", namespaceLabels: { "kubernetes.io/metadata.name": "kube-system" },
                labels: { "k8s-app": "kube-dns" }, ports: [[53, "UDP"], [53, "TCP"]] });
  actors.push({ name: "other-namespace", namespace: "default", namespaceLabels: { "kubernetes.io/metadata.name": "default" },
                labels: { app: "other" }, ports: [] });
  actors.push({ name: "internet", ip: "203.0.113.7", ports: [[443, "TCP"]] });
  for (const e of byKind(objects, "Endpoints")) {
    for (const s of e.subsets || []) {
      for (const a of s.addresses || []) {
        actors.push({ name: e.metadata.name, ip: a.ip, ports: (s.ports || []).map((p) => [p.port, p.protocol || "TCP"]) });
      }
    }
  }
  const flows = new Set();
  for (const src of actors) {
    for (const dst of actors) {
      if (src === dst || !(src.inside || dst.inside)) continue;
      for (const [port, protocol] of dst.ports) {
        const egress = !src.inside || allowedBy(policies, "Egress", src, dst, dst, port, protocol);
        const ingress = !dst.inside || allowedBy(policies, "Ingress", dst, src, dst, port, protocol);
        if (egress && ingress) flows.add(`${src.name} -> ${dst.name}:${port}/${protocol}`);
      }
    }
  }
  return flows;
}

// The flows etnik needs, and no others.
export function expectedFlows(objects) {
  const flows = new Set();
  const inside = [...byKind(objects, "Deployment"), ...byKind(objects, "StatefulSet")].map((w) => w.metadata.name);
  for (const name of inside) {
    flows.add(`${name} -> kube-dns:53/UDP`);
    flows.add(`${name} -> kube-dns:53/TCP`);
  }
  for (const s of DATA_SERVICES) {
    flows.add(`gateway -> ${s}:${SERVICES[s].grpc}/TCP`);
    flows.add(`${s} -> postgresql:5432/TCP`);
    flows.add(`${s} -> redis:6379/TCP`);
  }
  for (const [s, svc] of Object.entries(SERVICES)) flows.add(`prometheus -> ${s}:${svc.metrics}/TCP`);
  // The HTTP API is open to anyone outside the namespace (users come in through the cluster's ingress).
  const outside = ["internet", "other-namespace", "prometheus", "kube-dns", ...byKind(objects, "Endpoints").map((e) => e.metadata.name)];
  for (const from of outside) flows.add(`${from} -> gateway:8080/TCP`);
  return flows;
}

export function checkNetwork(objects) {
  const problems = [];
  const deny = byKind(objects, "NetworkPolicy").filter((p) =>
    Object.keys(p.spec.podSelector || {}).length === 0 && types(p).includes("Ingress") && types(p).includes("Egress") &&
    !(p.spec.ingress || []).length && !(p.spec.egress || []).length);
  if (deny.length === 0) problems.push("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
  const allowed = allowedFlows(objects);
  const expected = expectedFlows(objects);
  for (const f of allowed) if (!expected.has(f)) problems.push(`allowed but not needed: ${f}`);
  for (const f of expected) if (!allowed.has(f)) problems.push(`needed but blocked: ${f}`);
  return problems;
}

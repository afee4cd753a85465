// Prometheus configuration, rules and their unit tests through promtool, and the Grafana
// dashboards: stable uids, a data source variable, and every PromQL expression they run
// (panels and variable queries) checked by promtool.
//   node tests/deploy/observability_test.mjs
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { dashboardExpressions, substituteVariables } from "./dashboards.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROM = path.join(ROOT, "deploy", "prometheus");
const GRAFANA = path.join(ROOT, "deploy", "grafana");
const PROMTOOL = process.env.PROMTOOL || "promtool";
const JOBS = { registration: 9101, hubs: 9102, scheduling: 9103, notifications: 9104, gateway: 9105 };

function promtool(args, cwd = PROM) {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 60000 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const ruleFiles = readdirSync(path.join(PROM, "rules")).filter((f) => f.endsWith(".yml")).map((f) => path.join("rules", f));
const testFiles = readdirSync(path.join(PROM, "tests")).filter((f) => f.endsWith(".yaml")).map((f) => path.join("tests", f));
const rules = ruleFiles.flatMap((f) => parse(readFileSync(path.join(PROM, f), "utf8")).groups.flatMap((g) => g.rules));
const unitTests = testFiles.flatMap((f) => parse(readFileSync(path.join(PROM, f), "utf8")).tests);
const dashboards = readdirSync(path.join(GRAFANA, "dashboards")).filter((f) => f.endsWith(".json"))
  .map((f) => ({ file: f, json: JSON.parse(readFileSync(path.join(GRAFANA, "dashboards", f), "utf8")) }));

test("promtool accepts the compose scrape configuration and its rule files", () => {
  const r = promtool(["check", "config", "prometheus.yml"]);
  assert.ok(r.ok, r.output);
  assert.match(r.output, new RegExp(`${ruleFiles.length} rule files found`));
});

test("the compose scrape configuration has one job per service on its metrics port", () => {
  const config = parse(readFileSync(path.join(PROM, "prometheus.yml"), "utf8"));
  const targets = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s.static_configs[0].targets]));
  for (const [job, port] of Object.entries(JOBS)) assert.deepEqual(targets[job], [`${job}:${port}`]);
});

// Debian's Prometheus is built without Kubernetes discovery, so its promtool cannot load this
// file; its parts that must agree with the manifests are checked here instead.
test("the Kubernetes scrape configuration keeps the etnik pods' metrics ports and names jobs after the service", () => {
  const config = parse(readFileSync(path.join(PROM, "kubernetes.yml"), "utf8"));
  const job = config.scrape_configs[0];
  const namespaces = readdirSync(path.join(ROOT, "k8s", "overlays")).map((o) =>
    parse(readFileSync(path.join(ROOT, "k8s", "overlays", o, "namespace.yaml"), "utf8")).metadata.name);
  assert.deepEqual([...job.kubernetes_sd_configs[0].namespaces.names].sort(), namespaces.sort());
  const relabel = job.relabel_configs;
  assert.ok(relabel.some((r) => r.source_labels[0] === "__meta_kubernetes_pod_container_port_name" && r.regex === "metrics" && r.action === "keep"));
  assert.ok(relabel.some((r) => r.source_labels[0] === "__meta_kubernetes_pod_label_app_kubernetes_io_part_of" && r.regex === "etnik" && r.action === "keep"));
  assert.ok(relabel.some((r) => r.source_labels[0] === "__meta_kubernetes_pod_label_app_kubernetes_io_name" && r.target_label === "job"));
  for (const svc of Object.keys(JOBS)) {
    const manifest = readFileSync(path.join(ROOT, "k8s", "base", `${svc}.yaml`), "utf8");
    assert.match(manifest, /- name: metrics\n\s+containerPort: \d+/, `${svc} names its metrics port "metrics"`);
  }
  assert.deepEqual(config.rule_files, parse(readFileSync(path.join(PROM, "prometheus.yml"), "utf8")).rule_files);
});

test("promtool accepts the rules", () => {
  const r = promtool(["check", "rules", ...ruleFiles]);
  assert.ok(r.ok, r.output);
});

test("promtool rule unit tests pass", () => {
  const r = promtool(["test", "rules", ...testFiles]);
  assert.ok(r.ok, r.output);
});

test("a wrong expectation fails promtool's unit test (the tests really compare)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "etnik-promtool-"));
  try {
    const original = readFileSync(path.join(PROM, "tests", "alerts_test.yaml"), "utf8");
    const broken = original.replace("summary: \"hubs fails 9.091% of its calls\"", "summary: \"hubs fails 1% of its calls\"");
    assert.notEqual(broken, original);
    const file = path.join(dir, "broken_test.yaml");
    writeFileSync(file, broken.replaceAll("../rules/", `${path.join(PROM, "rules")}/`));
    const r = promtool(["test", "rules", file], dir);
    assert.ok(!r.ok, "promtool passed a wrong expectation");
    assert.match(r.output, /EtnikHighErrorRatio/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the alerts the operators asked for exist, each fires in a unit test and stays quiet in another", () => {
  const alerts = rules.filter((r) => r.alert).map((r) => r.alert);
  for (const name of ["EtnikServiceDown", "EtnikHighErrorRatio", "EtnikHighLatencyP99", "EtnikOutboxBacklogGrowing",
                      "EtnikRemindersLate", "EtnikEventsDeadLettered", "EtnikRedisBreakerOpen"]) {
    assert.ok(alerts.includes(name), `alert ${name}`);
  }
  const cases = unitTests.flatMap((t) => t.alert_rule_test || []);
  for (const name of alerts) {
    assert.ok(cases.some((c) => c.alertname === name && (c.exp_alerts || []).length > 0), `${name} fires in a test`);
    assert.ok(cases.some((c) => c.alertname === name && (c.exp_alerts || []).length === 0), `${name} is quiet in a test`);
  }
  for (const r of rules.filter((x) => x.alert)) {
    assert.ok(r.labels?.severity, `${r.alert} has a severity`);
    assert.ok(r.annotations?.summary && r.annotations?.description, `${r.alert} has a summary and a description`);
  }
});

test("recording rules cover rate, errors and p99 per service and method, each checked by a unit test", () => {
  const records = rules.filter((r) => r.record).map((r) => r.record);
  for (const name of ["job_grpc_service_grpc_method:grpc_server_handled:rate5m",
                      "job_grpc_service_grpc_method:grpc_server_error_ratio:rate5m",
                      "job_grpc_service_grpc_method:grpc_server_handling_seconds:p99_5m"]) {
    assert.ok(records.includes(name), name);
  }
  const tested = new Set(unitTests.flatMap((t) => (t.promql_expr_test || []).map((e) => e.expr)));
  for (const name of records) assert.ok(tested.has(name), `${name} has a promql_expr_test`);
});

// ---- Grafana ----

test("dashboards keep their uids and pick the data source from a variable", () => {
  const uids = dashboards.map((d) => d.json.uid).sort();
  assert.deepEqual(uids, ["etnik-programme", "etnik-red"]);
  for (const { file, json } of dashboards) {
    const vars = json.templating.list;
    const ds = vars.find((v) => v.type === "datasource");
    assert.equal(ds?.query, "prometheus", `${file}: a Prometheus data source variable`);
    const dsRef = `\${${ds.name}}`;
    const defined = new Set(vars.map((v) => v.name));
    const ids = new Set();
    for (const p of json.panels) {
      assert.ok(!ids.has(p.id), `${file}: panel id ${p.id} is unique`);
      ids.add(p.id);
      assert.ok(p.gridPos && p.gridPos.x + p.gridPos.w <= 24, `${file}: panel ${p.title} fits the grid`);
      if (p.type === "row") continue;
      assert.equal(p.datasource?.uid, dsRef, `${file}: panel ${p.title} uses the data source variable`);
      assert.ok(p.targets?.length, `${file}: panel ${p.title} has queries`);
      for (const t of p.targets) {
        assert.equal(t.datasource?.uid, dsRef, `${file}: ${p.title}/${t.refId} uses the data source variable`);
        for (const m of t.expr.matchAll(/\$\{?(\w+)/g)) {
          assert.ok(m[1].startsWith("__") || defined.has(m[1]), `${file}: ${p.title} uses undefined variable $${m[1]}`);
        }
      }
    }
    for (const v of vars.filter((x) => x.type === "query")) {
      assert.equal(v.datasource?.uid, dsRef, `${file}: variable ${v.name} uses the data source variable`);
    }
  }
});

test("dashboard panels do not overlap", () => {
  for (const { file, json } of dashboards) {
    const cells = new Map();
    for (const p of json.panels) {
      const g = p.gridPos;
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          assert.ok(!cells.has(`${x},${y}`), `${file}: ${p.title} overlaps ${cells.get(`${x},${y}`)}`);
          cells.set(`${x},${y}`, p.title);
        }
      }
    }
  }
});

test("the RED dashboard shows rate, errors and duration per service and per method", () => {
  const red = dashboards.find((d) => d.json.uid === "etnik-red").json;
  const exprs = dashboardExpressions(red).map((e) => e.expr);
  const has = (re) => exprs.some((e) => re.test(e));
  assert.ok(has(/sum by \(job\) \(rate\(grpc_server_handled_total\{/), "rate by service");
  assert.ok(has(/sum by \(job, grpc_service, grpc_method\) \(rate\(grpc_server_handled_total\{/), "rate by method");
  assert.ok(has(/grpc_code=~"Unknown\|DeadlineExceeded\|Unimplemented\|Internal\|Unavailable\|DataLoss"/), "server errors");
  assert.ok(has(/histogram_quantile\(0\.99, sum by \(job, le\)/), "p99 by service");
  assert.ok(has(/histogram_quantile\(0\.99, sum by \(job, grpc_method, le\)/), "p99 by method");
  for (const v of ["job", "grpc_service", "grpc_method"]) {
    assert.ok(red.templating.list.some((x) => x.name === v), `variable ${v}`);
  }
});

test("the programme dashboard shows the programme's numbers", () => {
  const prog = dashboards.find((d) => d.json.uid === "etnik-programme").json;
  const exprs = dashboardExpressions(prog).map((e) => e.expr).join("\n");
  for (const needed of ["etnik_applications_submitted_total", 'grpc_method="RunSelection"', "etnik_sessions_booked_total",
                        "etnik_booking_conflicts_total", "etnik_attendees_registered_total", 'grpc_method="CheckIn"',
                        "sum by (channel, status) (rate(etnik_notifications_sent_total", "etnik_reminder_lateness_seconds_bucket"]) {
    assert.ok(exprs.includes(needed), needed);
  }
});

function checkExpressions(entries) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "etnik-dashboards-"));
  try {
    const file = path.join(dir, "dashboard_rules.yml");
    const groups = [{ name: "dashboards", rules: entries.map((e, i) => ({ record: `dashboard_expr_${i}`, expr: substituteVariables(e.expr) })) }];
    writeFileSync(file, JSON.stringify({ groups }, null, 1));
    return promtool(["check", "rules", file], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("promtool accepts every PromQL expression the dashboards run", () => {
  const entries = dashboards.flatMap((d) => dashboardExpressions(d.json));
  const queries = dashboards.reduce((n, d) => n + d.json.panels.reduce((m, p) => m + (p.targets || []).length, 0) +
                                       d.json.templating.list.filter((v) => v.type === "query").length, 0);
  assert.equal(entries.length, queries, "every panel query and variable query is extracted");
  const r = checkExpressions(entries);
  assert.ok(r.ok, r.output);
  assert.match(r.output, new RegExp(`SUCCESS: ${entries.length} rules found`));
});

test("the expression check catches a broken panel query", () => {
  const r = checkExpressions([{ where: "broken", expr: 'sum by (job) (rate(grpc_server_handled_total{job=~"$job"}[$__rate_interval])' }]);
  assert.ok(!r.ok, "promtool accepted an unbalanced parenthesis");
});

test("Grafana provisioning loads the dashboards from where compose mounts them, with a fixed data source uid", () => {
  const provider = parse(readFileSync(path.join(GRAFANA, "provisioning", "dashboards", "etnik.yaml"), "utf8")).providers[0];
  const compose = parse(readFileSync(path.join(ROOT, "deploy", "compose.yaml"), "utf8"), { merge: true });
  assert.ok(compose.services.grafana.volumes.includes(`./grafana/dashboards:${provider.options.path}:ro`));
  assert.ok(compose.services.grafana.volumes.includes("./grafana/provisioning:/etc/grafana/provisioning:ro"));
  const ds = parse(readFileSync(path.join(GRAFANA, "provisioning", "datasources", "prometheus.yaml"), "utf8")).datasources[0];
  assert.equal(ds.type, "prometheus");
  assert.equal(ds.uid, "prometheus");
  assert.equal(ds.url, "http://prometheus:9090");
});

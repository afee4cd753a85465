// The PromQL a Grafana dashboard runs, and Grafana's variables replaced the way Grafana would,
// so promtool or a live Prometheus can run the same text.

// Every panel query and every label_values() variable query's selector: [{where, expr}].
export function dashboardExpressions(dashboard) {
  const out = [];
  const panels = (dashboard.panels || []).flatMap((p) => [p, ...(p.panels || [])]);
  for (const p of panels) {
    for (const t of p.targets || []) {
      if (t.expr) out.push({ where: `${dashboard.uid} / ${p.title} / ${t.refId}`, expr: t.expr, panel: p.title });
    }
  }
  for (const v of dashboard.templating?.list || []) {
    if (v.type !== "query") continue;
    const q = typeof v.query === "string" ? v.query : v.query.query;
    const m = /^label_values\((.*),\s*(\w+)\)$/.exec(q.trim());
    if (!m) throw new Error(`${dashboard.uid}: variable ${v.name} has an unexpected query ${q}`);
    out.push({ where: `${dashboard.uid} / variable ${v.name}`, expr: m[1] });
  }
  return out;
}

// Grafana's built-in intervals become fixed durations and template variables match anything.
export function substituteVariables(expr, intervals = { rate: "5m", interval: "1m", range: "1h" }) {
  return expr
    .replaceAll("$__rate_interval", intervals.rate)
    .replaceAll("$__interval", intervals.interval)
    .replaceAll("$__range", intervals.range)
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, ".*");
}

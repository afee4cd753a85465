// Small inline SVG charts drawn from numbers: horizontal bars (stacked when a row has several
// parts), a progress meter and a timeline. No library; colours come from style.css classes.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// rows: [{label, parts: [{value, cls, name}]}]; one bar per row, parts side by side.
export function barChart(rows, { label, width = 560, labelWidth = 220, row = 26 }) {
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)));
  const height = rows.length * row + 8;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label, preserveAspectRatio: 'xMinYMin meet' });
  svg.append(s('title', {}, label));
  const barSpace = width - labelWidth - 40;
  rows.forEach((r, i) => {
    const y = i * row + 4;
    svg.append(s('text', { x: labelWidth - 8, y: y + row / 2 + 1, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' },
      r.label.length > 25 ? `${r.label.slice(0, 24)}…` : r.label));
    svg.append(s('rect', { x: labelWidth, y: y + 4, width: barSpace, height: row - 10, rx: 3, class: 'chart-track' }));
    let x = labelWidth;
    let total = 0;
    for (const p of r.parts) {
      const w = (p.value / max) * barSpace;
      if (w > 0) {
        svg.append(s('rect', { x, y: y + 4, width: w, height: row - 10, rx: 3, class: `chart-bar ${p.cls}` },
          s('title', {}, `${r.label}: ${p.name} ${p.value}`)));
      }
      x += w;
      total += p.value;
    }
    svg.append(s('text', { x: x + 6, y: y + row / 2 + 1, class: 'chart-value', 'dominant-baseline': 'middle' }, total));
  });
  return svg;
}

// A ring showing actual against target.
export function meter(actual, target, label) {
  const r = 26;
  const c = 2 * Math.PI * r;
  const share = target > 0 ? Math.min(1, actual / target) : 0;
  return s('svg', { viewBox: '0 0 64 64', class: 'meter', role: 'img', 'aria-label': label },
    s('title', {}, label),
    s('circle', { cx: 32, cy: 32, r, class: 'meter-track' }),
    s('circle', { cx: 32, cy: 32, r, class: `meter-fill${share >= 1 ? ' done' : ''}`,
      'stroke-dasharray': `${(share * c).toFixed(1)} ${c.toFixed(1)}`, transform: 'rotate(-90 32 32)' }));
}

// stages: [{label, start: Date, end: Date}]; now: Date or null.
export function timeline(stages, { label, now, nowLabel, dateText, width = 900 }) {
  const laneH = 34;
  const height = stages.length * laneH + 36;
  const min = Math.min(...stages.map((x) => x.start.getTime()));
  const max = Math.max(...stages.map((x) => x.end.getTime()));
  const span = Math.max(1, max - min);
  const left = 320;
  const right = 20;
  const xOf = (t) => left + ((t - min) / span) * (width - left - right);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart timeline', role: 'img', 'aria-label': label });
  svg.append(s('title', {}, label));
  stages.forEach((st, i) => {
    const y = i * laneH + 6;
    svg.append(s('text', { x: left - 10, y: y + 12, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' },
      st.label.length > 40 ? `${st.label.slice(0, 39)}…` : st.label));
    const x1 = xOf(st.start.getTime());
    const x2 = Math.max(x1 + 4, xOf(st.end.getTime()));
    svg.append(s('rect', { x: x1, y, width: x2 - x1, height: 24, rx: 5, class: `stage-bar stage-${i % 4}` },
      s('title', {}, `${st.label}: ${dateText(st.start)} – ${dateText(st.end)}`)));
  });
  const axisY = stages.length * laneH + 18;
  svg.append(s('text', { x: left, y: axisY, class: 'chart-axis' }, dateText(new Date(min))));
  svg.append(s('text', { x: width - right, y: axisY, class: 'chart-axis', 'text-anchor': 'end' }, dateText(new Date(max))));
  if (now && now.getTime() >= min && now.getTime() <= max) {
    const x = xOf(now.getTime());
    svg.append(s('line', { x1: x, x2: x, y1: 0, y2: stages.length * laneH + 4, class: 'now-line' }));
    svg.append(s('text', { x, y: axisY, class: 'chart-axis now', 'text-anchor': 'middle' }, nowLabel));
  }
  return svg;
}

// The organiser's dashboard: the programme's stages on a timeline, and where it stands against
// its targets (applications and selection of 40, 10 hubs, 20 webinars and master classes,
// attendance) with charts per hub, per kind and per application state.
import { t, loc } from './i18n.js';
import { api, describeError } from './api.js';
import { h, fmtDate, kindText, idOf } from './format.js';
import { barChart, meter, timeline } from './charts.js';

const TRAINING_KINDS = ['EVENT_KIND_WEBINAR', 'EVENT_KIND_MASTER_CLASS'];

function target(lists, metric) {
  for (const list of lists) {
    const found = (list || []).find((x) => x.metric === metric);
    if (found) return found;
  }
  return null;
}

function kpi(id, title, actual, targetValue, note) {
  const of = targetValue ? t('org.ofTarget', { target: targetValue }) : '';
  return h('div', { class: 'kpi card', id },
    targetValue ? meter(actual, targetValue, `${title}: ${actual} ${of}`) : null,
    h('div', {},
      h('div', { class: 'kpi-title' }, title),
      h('div', { class: 'kpi-value' }, h('span', { class: 'kpi-number' }, String(actual)), of ? h('span', { class: 'kpi-of' }, ` ${of}`) : null),
      note ? h('div', { class: 'muted small' }, note) : null));
}

export async function render(main, ctx) {
  const programme = `programmes/${ctx.programmeId}`;
  const zone = (ctx.programme && ctx.programme.timeZone) || 'Europe/Moscow';
  const calls = await Promise.allSettled([
    api('GET', `/v1/${programme}/registrationProgress`),
    api('GET', `/v1/${programme}/schedulingProgress`),
    api('GET', `/v1/${programme}/hubsProgress`),
    api('GET', `/v1/${programme}/catalogue/hubs?pageSize=100`),
  ]);
  const [reg, sched, hubs, catalogue] = calls.map((c) => (c.status === 'fulfilled' ? c.value : null));
  const failed = calls.find((c) => c.status === 'rejected');
  if (!main.isConnected) return;  // the user has moved on
  if (failed) ctx.notify(describeError(failed.reason));
  const targets = [reg && reg.targets, sched && sched.targets, hubs && hubs.targets];
  const hubTitle = new Map(((catalogue && catalogue.hubs) || []).map((x) => [x.name, loc(x.title)]));

  const apps = (reg && reg.applications) || [];
  const appTotal = apps.reduce((a, x) => a + (x.count || 0), 0);
  const seats = (reg && reg.seats) || (ctx.programme && ctx.programme.seats) || 40;
  const selected = (reg && reg.participants) || 0;
  const hubsTarget = target(targets, 'TARGET_METRIC_HUBS');
  const hubsActual = hubs ? (hubs.publishedHubs || 0) : (hubsTarget ? hubsTarget.actual || 0 : 0);
  const kinds = (sched && sched.kinds) || [];
  const training = kinds.filter((k) => TRAINING_KINDS.includes(k.kind));
  const held = training.reduce((a, k) => a + (k.held || 0), 0);
  const scheduled = training.reduce((a, k) => a + (k.scheduled || 0), 0);
  const trainingTarget = target(targets, 'TARGET_METRIC_WEBINARS_AND_MASTER_CLASSES');
  const attendanceTarget = target(targets, 'TARGET_METRIC_ATTENDANCE');

  const kpis = h('div', { class: 'kpis', id: 'kpis' },
    kpi('kpi-applications', t('org.applications'), appTotal, 0, null),
    kpi('kpi-selected', t('org.selected'), selected, seats, null),
    kpi('kpi-hubs', t('org.hubs'), hubsActual, hubsTarget ? hubsTarget.target : 10, null),
    kpi('kpi-sessions', t('org.sessions'), held, trainingTarget ? trainingTarget.target : 20,
      h('span', { id: 'kpi-sessions-note' }, t('org.sessionsHelp', { held, scheduled }))),
    kpi('kpi-attendance', t('org.attendance'), (sched && sched.attendance) || 0, attendanceTarget ? attendanceTarget.target : 0, null));

  const stages = ((ctx.programme && ctx.programme.stages) || []).filter((st) => st.window && st.window.startTime)
    .map((st) => ({ label: loc(st.title), start: new Date(st.window.startTime), end: new Date(st.window.endTime || st.window.startTime) }));
  const dateText = (d) => fmtDate(d.toISOString(), zone, { day: 'numeric', month: 'short', year: 'numeric' });
  const stageSection = h('section', { class: 'panel', 'aria-labelledby': 'stages-title' },
    h('h2', { id: 'stages-title' }, t('org.stages')),
    stages.length ? timeline(stages, { label: t('org.stages'), now: new Date(), nowLabel: t('org.today'), dateText }) : null);

  const parts = (x) => [
    { value: x.scheduled || 0, cls: 'bar-scheduled', name: t('org.scheduled') },
    { value: x.held || 0, cls: 'bar-held', name: t('org.held') },
    { value: x.cancelled || 0, cls: 'bar-cancelled', name: t('org.cancelled') },
  ];
  const legend = h('ul', { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch bar-scheduled' }), t('org.scheduled')),
    h('li', {}, h('span', { class: 'swatch bar-held' }), t('org.held')),
    h('li', {}, h('span', { class: 'swatch bar-cancelled' }), t('org.cancelled')));
  const byHub = ((sched && sched.hubs) || []).map((x) => ({ label: (hubTitle.get(x.hub) || idOf(x.hub)).replace(/^(Хаб|Hub) [«“](.*)[»”]$/, '$2'), parts: parts(x) }));
  const byKind = kinds.map((x) => ({ label: kindText(x.kind), parts: parts(x) }));
  const byState = apps.filter((x) => x.count).map((x) => ({
    label: t(`appstate.${x.state}`), parts: [{ value: x.count, cls: 'bar-apps', name: t(`appstate.${x.state}`) }],
  }));

  main.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, t('org.title')),
      h('button', { type: 'button', class: 'btn ghost small', id: 'refresh', onclick: () => render(main, ctx) }, t('org.refresh'))),
    kpis,
    stageSection,
    h('div', { class: 'charts' },
      h('section', { class: 'panel', 'aria-labelledby': 'by-hub-title', id: 'chart-hubs' },
        h('h2', { id: 'by-hub-title' }, t('org.byHub')), legend,
        byHub.length ? barChart(byHub, { label: t('org.chartByHub') }) : null),
      h('div', { class: 'stack' },
        h('section', { class: 'panel', 'aria-labelledby': 'by-kind-title', id: 'chart-kinds' },
          h('h2', { id: 'by-kind-title' }, t('org.byKind')), legend.cloneNode(true),
          byKind.length ? barChart(byKind, { label: t('org.chartByKind') }) : null),
        h('section', { class: 'panel', 'aria-labelledby': 'by-state-title', id: 'chart-apps' },
          h('h2', { id: 'by-state-title' }, t('org.byState')),
          byState.length ? barChart(byState, { label: t('org.chartByState') }) : h('p', { class: 'muted' }, t('org.noApplications'))))));
}

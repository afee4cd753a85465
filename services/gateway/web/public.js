// For everyone, signed in or not: the programme's hub catalogue and its public schedule, with
// iCalendar feeds and a per-session "add to calendar" file.
import { t, loc } from './i18n.js';
import { api, listAll } from './api.js';
import { h, fmtDate, fmtTime, kindText, idOf } from './format.js';
import { sessionIcsUrl } from './ics.js';

export async function render(main, ctx) {
  const programme = `programmes/${ctx.programmeId}`;
  const zone = (ctx.programme && ctx.programme.timeZone) || 'Europe/Moscow';
  const [catalogue, sessions] = await Promise.all([
    api('GET', `/v1/${programme}/catalogue/hubs?pageSize=100`),
    listAll(`/v1/${programme}/sessions`, 'sessions'),
  ]);
  const hubs = catalogue.hubs || [];
  const hubTitle = new Map(hubs.map((hub) => [hub.name, loc(hub.title)]));

  const intro = ctx.programme ? h('section', { class: 'intro' },
    h('h1', {}, loc(ctx.programme.title)),
    h('p', { class: 'lead' }, loc(ctx.programme.description))) : null;

  const cards = hubs.map((hub) => h('li', { class: 'card hub-card', 'data-hub': hub.name },
    h('h3', {}, loc(hub.title)),
    hub.themeTitle ? h('p', { class: 'tag' }, loc(hub.themeTitle)) : null,
    h('p', { class: 'clamp' }, loc(hub.description)),
    h('div', { class: 'card-foot' },
      h('span', { class: 'muted' }, t('public.experts', { n: (hub.experts || []).length })),
      h('a', { href: `/v1/${hub.name}/calendar.ics`, class: 'link' }, t('public.hubFeed')))));
  const hubSection = h('section', { 'aria-labelledby': 'hubs-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'hubs-title' }, t('public.hubs')),
      h('span', { class: 'count', id: 'hubs-count' }, t('public.hubsCount', { n: hubs.length }))),
    h('ul', { class: 'grid hubs', id: 'hub-list' }, cards));

  const rows = sessions.filter((s) => s.state !== 'SESSION_STATE_CANCELLED').map((s) => h('tr', { 'data-session': s.name },
    h('td', { class: 'nowrap' },
      h('div', {}, fmtDate(s.startTime, zone)),
      h('div', { class: 'muted' }, `${fmtTime(s.startTime, zone)}–${fmtTime(s.endTime, zone)}`)),
    h('td', {},
      h('div', { class: 'strong' }, loc(s.title)),
      h('span', { class: `kind kind-${(s.eventKind || '').toLowerCase()}` }, kindText(s.eventKind))),
    h('td', {}, s.hub ? (hubTitle.get(s.hub) || idOf(s.hub)) : h('span', { class: 'muted' }, t('public.all'))),
    h('td', { class: 'right' }, h('a', {
      class: 'btn ghost small ics', href: sessionIcsUrl(s), download: `${idOf(s.name.split('/sessions/')[0])}-${idOf(s.name)}.ics`,
      'aria-label': t('public.addToCalendarOf', { title: loc(s.title) }),
    }, t('public.addToCalendar')))));
  const schedule = h('section', { 'aria-labelledby': 'schedule-title' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'schedule-title' }, t('public.schedule')),
      h('a', { class: 'btn ghost small', href: `/v1/${programme}/calendar.ics`, id: 'programme-feed' }, t('public.feed'))),
    h('p', { class: 'muted' }, t('public.scheduleHelp')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'schedule' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('public.when')), h('th', { scope: 'col' }, t('public.what')),
        h('th', { scope: 'col' }, t('public.where')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('public.addToCalendar'))))),
      h('tbody', {}, rows))) : h('p', {}, t('public.noSessions')));

  main.replaceChildren(...[intro, hubSection, schedule].filter(Boolean));
}

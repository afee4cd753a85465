// The hub lead's view: the hub's experts, a week calendar of the hub's sessions, booking a
// webinar or master class, rescheduling and cancelling. A refused booking is explained in
// words with the session in the way, and the expert's free times are offered instead.
import { t, loc } from './i18n.js';
import { api, listAll, describeError, ApiError } from './api.js';
import { h, fmtRange, fmtDate, fmtTime, localParts, zonedToUtc, mondayOf, addDays, kindText, idOf } from './format.js';
import { weekCalendar } from './calendar.js';

const BOOKABLE = ['EVENT_KIND_WEBINAR', 'EVENT_KIND_MASTER_CLASS'];

// Kept across re-renders (language switch) while the page is open.
const state = { monday: null, selected: null, hub: null };

function requestId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export async function render(main, ctx) {
  const hubId = ctx.who && ctx.who.hubs[0];
  if (!hubId) {
    main.replaceChildren(h('p', { class: 'empty' }, t('hub.noHub')));
    return;
  }
  const hubName = `hubs/${hubId}`;
  if (state.hub !== hubName) Object.assign(state, { monday: null, selected: null, hub: hubName });
  const zone = (ctx.programme && ctx.programme.timeZone) || 'Europe/Moscow';
  const [hub, experts, events] = await Promise.all([
    api('GET', `/v1/${hubName}`),
    listAll('/v1/experts', 'experts', { hub: hubName }),
    listAll('/v1/events', 'events', { hub: hubName }),
  ]);
  const data = { ctx, zone, hub, hubName, experts, events: events.filter((e) => BOOKABLE.includes(e.kind)), sessions: [] };
  const expertName = (name) => {
    const e = experts.find((x) => x.name === name);
    return e ? loc(e.fullName) : idOf(name);
  };
  data.expertName = expertName;

  const calendarBox = h('div', { class: 'calendar-box' });
  const detailBox = h('div', { class: 'detail-box', id: 'session-detail' });
  const bookBox = h('div', {});
  data.refresh = async (focusSession) => {
    data.sessions = await listAll(`/v1/${hubName}/sessions`, 'sessions');
    if (focusSession) {
      state.selected = focusSession.name;
      state.monday = mondayOf(localParts(focusSession.startTime, zone).date);
    }
    if (!state.monday) state.monday = defaultWeek(data.sessions, zone);
    const bookDate = document.getElementById('book-date');
    if (bookDate && !bookDate.dataset.touched) bookDate.value = state.monday;
    drawCalendar(calendarBox, detailBox, data);
  };

  bookBox.append(bookingForm(data));
  main.replaceChildren(
    h('div', { class: 'page-head' },
      h('h1', {}, loc(hub.title)),
      h('p', { class: 'muted' }, loc(hub.themeTitle))),
    h('div', { class: 'hub-layout' },
      h('section', { class: 'panel calendar-panel', 'aria-labelledby': 'cal-title' }, calendarBox),
      h('aside', { class: 'side' },
        h('section', { class: 'panel', 'aria-labelledby': 'book-title' }, bookBox),
        detailBox)),
    h('section', { class: 'panel', 'aria-labelledby': 'experts-title' },
      h('h2', { id: 'experts-title' }, t('hub.experts')),
      experts.length ? h('ul', { class: 'experts', id: 'experts' }, experts.map((e) => h('li', { class: 'expert' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(loc(e.fullName))),
        h('div', {}, h('div', { class: 'strong' }, loc(e.fullName)),
          h('div', { class: 'muted small' }, [e.city, (e.topics || []).join(', ')].filter(Boolean).join(' · ')))))) :
        h('p', { class: 'muted' }, t('hub.noExperts'))));
  await data.refresh();
}

function initials(name) {
  return name.split(/\s+/).slice(0, 2).map((w) => w[0] || '').join('').toUpperCase();
}

// The week of the next scheduled session; else of the hub's first one; else this week.
function defaultWeek(sessions, zone) {
  const now = new Date().toISOString();
  const live = sessions.filter((s) => s.state !== 'SESSION_STATE_CANCELLED');
  const next = live.find((s) => s.endTime >= now) || live[0] || sessions[0];
  return mondayOf(localParts(next ? next.startTime : now, zone).date);
}

function drawCalendar(box, detailBox, data) {
  const { zone } = data;
  const monday = state.monday;
  const sunday = addDays(monday, 6);
  const go = (days) => { state.monday = addDays(state.monday, days); drawCalendar(box, detailBox, data); };
  const inWeek = data.sessions.filter((s) => {
    const d = localParts(s.startTime, zone).date;
    return d >= monday && d <= sunday;
  });
  const select = (s) => { state.selected = s.name; drawCalendar(box, detailBox, data); };
  box.replaceChildren(
    h('div', { class: 'cal-head' },
      h('h2', { id: 'cal-title' }, t('hub.calendar')),
      h('div', { class: 'cal-nav' },
        h('button', { type: 'button', class: 'btn ghost small', id: 'prev-week', 'aria-label': t('hub.prevWeek'), onclick: () => go(-7) }, '‹'),
        h('span', { class: 'cal-range', id: 'week-range', 'aria-live': 'polite' }, t('hub.weekOf', {
          from: fmtDate(`${monday}T12:00:00Z`, 'UTC', { day: 'numeric', month: 'long' }),
          to: fmtDate(`${sunday}T12:00:00Z`, 'UTC', { day: 'numeric', month: 'long', year: 'numeric' }),
        })),
        h('button', { type: 'button', class: 'btn ghost small', id: 'next-week', 'aria-label': t('hub.nextWeek'), onclick: () => go(7) }, '›'))),
    h('p', { class: 'muted small' }, t('hub.zone', { zone }), inWeek.length ? '' : ` · ${t('hub.emptyWeek')}`),
    h('div', { class: 'week-scroll' }, weekCalendar({ monday, sessions: inWeek, zone, selected: state.selected, onSelect: select })),
    h('ul', { class: 'legend cal-legend' },
      h('li', {}, h('span', { class: 'swatch sw-webinar' }), kindText('EVENT_KIND_WEBINAR')),
      h('li', {}, h('span', { class: 'swatch sw-master' }), kindText('EVENT_KIND_MASTER_CLASS')),
      h('li', {}, h('span', { class: 'swatch sw-other' }), t('hub.otherKinds')),
      h('li', {}, h('span', { class: 'swatch sw-cancelled' }), t('state.SESSION_STATE_CANCELLED'))));
  const chosen = data.sessions.find((s) => s.name === state.selected);
  detailBox.replaceChildren(...(chosen ? [sessionDetail(chosen, data)] : []));
}

function field(id, label, input) {
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function errorBox(id) {
  return h('div', { class: 'refusal', id, role: 'alert', 'aria-live': 'assertive', hidden: true });
}

// Fills `box` with why the call was refused; a conflict names the session in the way.
async function showRefusal(box, err, data) {
  const md = err instanceof ApiError ? err.metadata : {};
  const extra = {};
  let conflict = null;
  if (md.conflictingSession) {
    conflict = data.sessions.find((s) => s.name === md.conflictingSession) || null;
    if (!conflict) {
      try { conflict = await api('GET', `/v1/${md.conflictingSession}`); } catch { conflict = null; }
    }
    extra.session = conflict ? loc(conflict.title) : idOf(md.conflictingSession);
    extra.when = fmtRange(md.conflictStartTime || conflict.startTime, md.conflictEndTime || conflict.endTime, data.zone);
  }
  if (md.expert || (md.resource || '').startsWith('experts/')) extra.expert = data.expertName(md.expert || md.resource);
  if ((md.resource || '').startsWith('venues/')) extra.room = idOf(md.resource);
  box.replaceChildren(
    h('strong', { class: 'refusal-title' }, t('hub.refused')),
    h('p', { class: 'refusal-text' }, describeError(err, extra)));
  if (conflict && conflict.hub === data.hubName) {
    box.append(h('button', { type: 'button', class: 'link-btn', onclick: () => data.refresh(conflict) }, t('hub.showConflict')));
  }
  box.hidden = false;
}

function bookingForm(data) {
  const { zone } = data;
  const eventSel = h('select', { required: true }, data.events.map((e) => h('option', { value: e.name }, `${kindText(e.kind)}: ${loc(e.title)}`)));
  const title = h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' });
  const date = h('input', { type: 'date', required: true });
  const start = h('input', { type: 'time', required: true, step: '900' });
  const duration = h('input', { type: 'number', required: true, min: '15', max: '480', step: '15', value: '90' });
  const host = h('select', { required: true }, data.experts.map((e) => h('option', { value: e.name }, loc(e.fullName))));
  const join = h('input', { type: 'url', placeholder: 'https://', autocomplete: 'off' });
  // Webinars happen online: the service refuses one without a room link.
  const kindOf = (name) => (data.events.find((e) => e.name === name) || {}).kind;
  const needJoin = () => { join.required = kindOf(eventSel.value) === 'EVENT_KIND_WEBINAR'; };
  eventSel.addEventListener('change', needJoin);
  needJoin();
  const refusal = errorBox('book-refusal');
  const suggestions = h('div', { class: 'suggestions', id: 'suggestions', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn primary', id: 'book-submit' }, t('hub.submitBook'));
  // The shown week's Monday until the user picks a date.
  date.value = state.monday || localParts(new Date().toISOString(), zone).date;
  date.addEventListener('input', () => { date.dataset.touched = '1'; });
  start.value = '15:00';

  const fillSlot = (slot) => {
    const p = localParts(slot.startTime, zone);
    date.value = p.date;
    start.value = p.time;
    duration.value = String(Math.round((new Date(slot.endTime) - new Date(slot.startTime)) / 60000));
    refusal.hidden = true;
    suggestions.replaceChildren();
    title.focus();
  };

  const suggest = async (from) => {
    const minutes = Number(duration.value) || 90;
    // The nearest free times after the wanted one, on the half hour.
    try {
      const res = await api('POST', `/v1/${eventSel.value}:suggestSlots`, {
        hosts: [host.value], duration: `${minutes * 60}s`, timeZone: zone, maxResults: 6, granularity: '1800s',
        searchRange: { startTime: from.toISOString(), endTime: new Date(from.getTime() + 14 * 86400000).toISOString() },
      });
      const slots = res.slots || [];
      suggestions.replaceChildren(
        h('h3', {}, t('hub.suggestions')),
        slots.length ? h('p', { class: 'muted small' }, t('hub.suggestionsHelp')) : h('p', { class: 'muted' }, t('hub.noSuggestions')),
        h('ul', { class: 'slot-list' }, slots.map((s) => h('li', {}, h('button', {
          type: 'button', class: 'chip', 'data-start': s.startTime, onclick: () => fillSlot(s),
        }, `${fmtDate(s.startTime, zone, { weekday: 'short', day: 'numeric', month: 'short' })}, ${fmtTime(s.startTime, zone)}–${fmtTime(s.endTime, zone)}`)))));
    } catch {
      suggestions.replaceChildren();
    }
  };

  const form = h('form', { id: 'book-form', novalidate: false }, 
    h('h2', { id: 'book-title' }, t('hub.book')),
    field('book-event', t('hub.event'), eventSel),
    field('book-title-input', t('hub.sessionTitle'), title),
    h('div', { class: 'row2' }, field('book-date', t('hub.date'), date), field('book-start', t('hub.start'), start)),
    field('book-duration', t('hub.duration'), duration),
    field('book-host', t('hub.host'), host),
    field('book-join', t('hub.joinUri'), join),
    refusal, suggestions,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    data.ctx.notify('');
    refusal.hidden = true;
    suggestions.replaceChildren();
    const begin = zonedToUtc(date.value, start.value, zone);
    const end = new Date(begin.getTime() + Number(duration.value) * 60000);
    const session = {
      title: { ru: title.value.trim() }, startTime: begin.toISOString(), endTime: end.toISOString(),
      timeZone: zone, hosts: [host.value],
    };
    if (join.value.trim()) session.onlineRoom = { joinUri: join.value.trim() };
    submit.disabled = true;
    try {
      const booked = await api('POST', `/v1/${eventSel.value}/sessions:book`, { session, requestId: requestId() });
      data.ctx.notify(t('hub.booked', { title: loc(booked.title), when: fmtRange(booked.startTime, booked.endTime, zone) }), 'ok');
      title.value = '';
      await data.refresh(booked);
    } catch (err) {
      await showRefusal(refusal, err, data);
      if (err instanceof ApiError && err.metadata.conflictingSession) await suggest(begin);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function sessionDetail(s, data) {
  const { zone } = data;
  const scheduled = s.state === 'SESSION_STATE_SCHEDULED';
  const refusal = errorBox('detail-refusal');
  const p = localParts(s.startTime, zone);
  const date = h('input', { type: 'date', required: true, value: p.date });
  const start = h('input', { type: 'time', required: true, step: '900', value: p.time });
  const minutes = Math.round((new Date(s.endTime) - new Date(s.startTime)) / 60000);
  const duration = h('input', { type: 'number', required: true, min: '15', max: '480', step: '15', value: String(minutes) });
  const reason = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
  const act = async (button, call, done) => {
    data.ctx.notify('');
    refusal.hidden = true;
    button.disabled = true;
    try {
      const updated = await call();
      data.ctx.notify(done(updated), 'ok');
      await data.refresh(updated);
    } catch (err) {
      await showRefusal(refusal, err, data);
      button.disabled = false;
    }
  };
  const moveBtn = h('button', { type: 'submit', class: 'btn primary', id: 'reschedule-submit' }, t('hub.submitReschedule'));
  const move = h('form', { id: 'reschedule-form' },
    h('h3', {}, t('hub.reschedule')),
    h('div', { class: 'row2' }, field('move-date', t('hub.date'), date), field('move-start', t('hub.start'), start)),
    field('move-duration', t('hub.duration'), duration),
    h('div', { class: 'actions' }, moveBtn));
  move.addEventListener('submit', (e) => {
    e.preventDefault();
    const begin = zonedToUtc(date.value, start.value, zone);
    const end = new Date(begin.getTime() + Number(duration.value) * 60000);
    act(moveBtn, () => api('POST', `/v1/${s.name}:reschedule`, {
      startTime: begin.toISOString(), endTime: end.toISOString(), etag: s.etag, requestId: requestId(),
    }), (u) => t('hub.rescheduled', { when: fmtRange(u.startTime, u.endTime, zone) }));
  });
  const cancelBtn = h('button', { type: 'submit', class: 'btn danger', id: 'cancel-submit' }, t('hub.submitCancel'));
  const cancel = h('form', { id: 'cancel-form' },
    h('h3', {}, t('hub.cancelSession')),
    field('cancel-reason', t('hub.cancelReason'), reason),
    h('div', { class: 'actions' }, cancelBtn));
  cancel.addEventListener('submit', (e) => {
    e.preventDefault();
    act(cancelBtn, () => api('POST', `/v1/${s.name}:cancel`, { reason: reason.value.trim(), etag: s.etag, requestId: requestId() }),
      () => t('hub.cancelled'));
  });
  return h('section', { class: 'panel detail', 'aria-labelledby': 'detail-title', 'data-session': s.name },
    h('p', { class: 'eyebrow' }, `${t('hub.session')} · ${kindText(s.eventKind)}`),
    h('h2', { id: 'detail-title' }, loc(s.title)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('public.when')), h('dd', {}, fmtRange(s.startTime, s.endTime, zone)),
      h('dt', {}, t('hub.hosts')), h('dd', {}, (s.hosts || []).map(data.expertName).join(', ')),
      h('dt', {}, t('hub.state')), h('dd', {}, h('span', { class: `state state-${(s.state || '').replace('SESSION_STATE_', '').toLowerCase()}` }, t(`state.${s.state}`)), ' · ', t('hub.registered', { n: s.registeredCount || 0 }))),
    refusal,
    scheduled ? move : null,
    scheduled ? cancel : null);
}

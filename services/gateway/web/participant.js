// The participant's view: the sessions they registered for (with their own calendar feed) and
// the programme's upcoming open sessions to register for.
import { t, loc } from './i18n.js';
import { api, listAll, describeError } from './api.js';
import { h, fmtRange, kindText } from './format.js';
import { sessionIcsUrl } from './ics.js';

export async function render(main, ctx) {
  const programme = `programmes/${ctx.programmeId}`;
  const zone = (ctx.programme && ctx.programme.timeZone) || 'Europe/Moscow';
  const me = `${programme}/participants/${ctx.who.subject}`;
  const [attendance, sessions] = await Promise.all([
    api('GET', `/v1/${me}/attendance`).catch(() => ({ records: [] })),
    listAll(`/v1/${programme}/sessions`, 'sessions'),
  ]);
  const records = (attendance.records || []).filter((r) => r.state !== 'ATTENDEE_STATE_CANCELLED');
  const mine = new Set(records.map((r) => r.session));
  const now = new Date().toISOString();
  const open = sessions.filter((s) => s.state === 'SESSION_STATE_SCHEDULED' && s.endTime > now && !mine.has(s.name));
  const refusal = h('div', { class: 'refusal', id: 'register-refusal', role: 'alert', 'aria-live': 'assertive', hidden: true });

  const register = async (s, button) => {
    refusal.hidden = true;
    button.disabled = true;
    try {
      await api('POST', `/v1/${s.name}/attendees`, { participant: me, timeZone: zone });
      ctx.notify(t('part.registered', { title: loc(s.title) }), 'ok');
      await render(main, ctx);
    } catch (err) {
      refusal.replaceChildren(h('p', {}, describeError(err)));
      refusal.hidden = false;
      button.disabled = false;
    }
  };

  const bySession = new Map(sessions.map((s) => [s.name, s]));
  main.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, t('part.title')),
      h('a', { class: 'btn ghost small', href: `/v1/${me}/calendar.ics` }, t('part.myFeed'))),
    h('section', { class: 'panel', 'aria-labelledby': 'mine-title' },
      h('h2', { id: 'mine-title' }, t('part.mine')),
      h('p', { class: 'muted small' }, t('part.attended', { registered: attendance.registeredSessions || 0, attended: attendance.attendedSessions || 0 })),
      records.length ? h('ul', { class: 'list', id: 'my-sessions' }, records.map((r) => {
        const s = bySession.get(r.session);
        return h('li', { class: 'list-row' },
          h('div', {}, h('div', { class: 'strong' }, loc(r.sessionTitle)),
            h('div', { class: 'muted small' }, `${kindText(r.eventKind)} · ${s ? fmtRange(s.startTime, s.endTime, zone) : ''} · ${t(`att.${r.state}`)}`)),
          s ? h('a', { class: 'btn ghost small', href: sessionIcsUrl(s), download: 'session.ics' }, t('public.addToCalendar')) : null);
      })) : h('p', { class: 'muted' }, t('part.none'))),
    h('section', { class: 'panel', 'aria-labelledby': 'open-title' },
      h('h2', { id: 'open-title' }, t('part.open')),
      refusal,
      open.length ? h('ul', { class: 'list', id: 'open-sessions' }, open.map((s) => {
        const button = h('button', { type: 'button', class: 'btn primary small', 'aria-label': t('part.registerOn', { title: loc(s.title) }) }, t('part.register'));
        button.addEventListener('click', () => register(s, button));
        return h('li', { class: 'list-row' },
          h('div', {}, h('div', { class: 'strong' }, loc(s.title)),
            h('div', { class: 'muted small' }, `${kindText(s.eventKind)} · ${fmtRange(s.startTime, s.endTime, zone)}`)),
          button);
      })) : h('p', { class: 'muted' }, t('part.noOpen'))));
}

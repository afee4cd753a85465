// A week of sessions as a grid: seven day columns, one row per hour, each session a button
// placed by its start and length in the programme's zone.
import { t, loc } from './i18n.js';
import { h, addDays, dayLabel, localParts, fmtTime, kindText } from './format.js';

const FIRST_HOUR = 8;
const LAST_HOUR = 22;  // the grid ends at this hour
const ROW = 48;  // pixels per hour; matches --hour in style.css

export function weekCalendar({ monday, sessions, zone, selected, onSelect }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const hours = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i);
  const today = localParts(new Date().toISOString(), zone).date;
  const grid = h('div', { class: 'week', role: 'group', 'aria-label': t('hub.calendar'), id: 'week' });
  grid.append(h('div', { class: 'week-corner' }));
  for (const day of days) {
    grid.append(h('div', { class: `week-day${day === today ? ' today' : ''}`, 'data-date': day }, dayLabel(day)));
  }
  const gutter = h('div', { class: 'week-gutter', 'aria-hidden': 'true' },
    hours.map((hour) => h('div', { class: 'week-hour' }, `${String(hour).padStart(2, '0')}:00`)));
  grid.append(gutter);
  for (const day of days) {
    const col = h('div', { class: 'week-col', role: 'group', 'aria-label': dayLabel(day), 'data-date': day });
    for (const s of sessions) {
      const start = localParts(s.startTime, zone);
      if (start.date !== day) continue;
      const end = localParts(s.endTime, zone);
      const endMinutes = end.date === day ? end.minutes : 24 * 60;
      const top = Math.max(0, (start.minutes - FIRST_HOUR * 60) / 60 * ROW);
      const bottom = Math.min((LAST_HOUR - FIRST_HOUR) * ROW, (endMinutes - FIRST_HOUR * 60) / 60 * ROW);
      const kind = (s.eventKind || '').replace('EVENT_KIND_', '').toLowerCase();
      const state = (s.state || '').replace('SESSION_STATE_', '').toLowerCase();
      const block = h('button', {
        type: 'button',
        class: `slot kind-${kind} state-${state}${selected === s.name ? ' selected' : ''}`,
        'data-session': s.name,
        'aria-pressed': String(selected === s.name),
        title: `${fmtTime(s.startTime, zone)}–${fmtTime(s.endTime, zone)} ${loc(s.title)}`,
        onclick: () => onSelect(s),
      },
      h('span', { class: 'slot-time' }, `${fmtTime(s.startTime, zone)}–${fmtTime(s.endTime, zone)}`),
      h('span', { class: 'slot-title' }, loc(s.title)),
      h('span', { class: 'slot-kind' }, kindText(s.eventKind)));
      block.style.top = `${top}px`;
      block.style.height = `${Math.max(22, bottom - top - 2)}px`;
      col.append(block);
    }
    grid.append(col);
  }
  return grid;
}

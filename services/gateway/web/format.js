// Dates and times in a given IANA zone, and small DOM helpers shared by the views.
import { lang, t } from './i18n.js';

const locale = () => (lang() === 'en' ? 'en-GB' : 'ru-RU');

export function fmtDateTime(iso, zone) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: zone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
}

export function fmtDate(iso, zone, opts = { day: 'numeric', month: 'long', year: 'numeric' }) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, ...opts }).format(new Date(iso));
}

export function fmtTime(iso, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(iso));
}

export function fmtRange(startIso, endIso, zone) {
  return `${fmtDateTime(startIso, zone)}–${fmtTime(endIso, zone)}`;
}

// The wall-clock parts of an instant in `zone`: {date: 'YYYY-MM-DD', minutes: since midnight}.
export function localParts(iso, zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute),
    time: `${parts.hour}:${parts.minute}` };
}

// The instant whose wall-clock time in `zone` is `date` ('YYYY-MM-DD') at `time` ('HH:MM').
export function zonedToUtc(date, time, zone) {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess).toISOString(), zone);
    const [py, pm, pd] = p.date.split('-').map(Number);
    const seen = Date.UTC(py, pm - 1, pd) + p.minutes * 60000;
    guess += wanted - seen;
  }
  return new Date(guess);
}

export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// The Monday of the week holding `date`.
export function mondayOf(date) {
  const [y, m, d] = date.split('-').map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(date, -dow);
}

export function dayLabel(date) {
  const text = new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' })
    .format(new Date(`${date}T12:00:00Z`));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function kindText(kind) {
  return t(`kind.${kind || 'EVENT_KIND_UNSPECIFIED'}`);
}

// Builds an element: h('p', {class: 'x', onclick: f}, 'text', child...).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// The id part of a resource name: "hubs/media" -> "media".
export function idOf(name) {
  return String(name || '').split('/').pop();
}

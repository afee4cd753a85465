// A one-session iCalendar file, made in the browser for "add to calendar" (the service's feeds
// hold whole programmes, hubs or people). Same UID as the service's feeds, so a calendar that
// has both keeps one copy.
import { loc } from './i18n.js';

function stamp(iso) {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(s) {
  return String(s).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

// Lines longer than 75 octets are folded (RFC 5545 3.1).
function fold(line) {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const out = [];
  let cur = '';
  let size = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (size + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      size = 0;
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

export function sessionIcs(session) {
  const title = loc(session.title);
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//etnik//web page//RU', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${session.name.replace(/\//g, '-')}@etnik`,
    `DTSTAMP:${stamp(session.updateTime || new Date().toISOString())}`,
    `DTSTART:${stamp(session.startTime)}`,
    `DTEND:${stamp(session.endTime)}`,
    `SUMMARY:${escapeText(title)}`,
  ];
  if (session.description) lines.push(`DESCRIPTION:${escapeText(loc(session.description))}`);
  if (session.onlineRoom && session.onlineRoom.joinUri) lines.push(`URL:${session.onlineRoom.joinUri}`);
  if (session.state === 'SESSION_STATE_CANCELLED') lines.push('STATUS:CANCELLED');
  lines.push(`SEQUENCE:${session.sequence || 0}`, 'END:VEVENT', 'END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function sessionIcsUrl(session) {
  return URL.createObjectURL(new Blob([sessionIcs(session)], { type: 'text/calendar;charset=utf-8' }));
}

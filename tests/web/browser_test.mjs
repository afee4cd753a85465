// Browser scenarios of the gateway's web page, run by browser_test.py against a stack with the
// demo programme: public catalogue and schedule, the language switch, a hub lead's calendar,
// booking, a refused conflicting booking explained in Russian, rescheduling, and the
// organiser's dashboard counting the new booking. Env: WEB_URL, WEB_ARTIFACTS, TOKEN_*.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.WEB_URL;
const artifacts = process.env.WEB_ARTIFACTS;
const tokens = { hubLead: process.env.TOKEN_HUB_LEAD, organiser: process.env.TOKEN_ORGANISER, participant: process.env.TOKEN_PARTICIPANT };
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'etnik-chromium-'));
const pageErrors = [];

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    // Containers often have a tiny /dev/shm; chromium then writes its shared memory to /tmp.
    '--disable-dev-shm-usage'],
  viewport: { width: 1280, height: 800 },
  locale: 'ru-RU',
  timezoneId: 'Europe/Moscow',
  acceptDownloads: true,
  timeout: 30000,
});
context.setDefaultTimeout(10000);

async function shot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

async function step(name, fn) {
  const t0 = Date.now();
  await fn();
  console.log(`ok  ${name} (${Date.now() - t0} ms)`);
}

async function signIn(page, token) {
  if (await page.locator('#signout').count()) await page.click('#signout');
  await page.click('#signin-open');
  await page.fill('#signin-token', token);
  await page.click('#signin-submit');
}

let failed = false;
const page = context.pages()[0] || await context.newPage();
try {
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    // Refused calls are part of the scenarios; the browser logs each failed response.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text());
  });

  await step('public catalogue shows the 10 hubs and the schedule, in Russian', async () => {
    await page.goto(url);
    await page.locator('#hub-list > li').nth(9).waitFor();
    assert.equal(await page.locator('#hub-list > li').count(), 10);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.equal(await page.locator('#hubs-title').textContent(), 'Хабы программы');
    assert.match(await page.locator('#hubs-count').textContent(), /^10 /);
    assert.match(await page.locator('#hub-list').textContent(), /Информационные и медиапроекты|медиа/i);
    const rows = await page.locator('#schedule tbody tr').count();
    assert.ok(rows >= 40, `schedule rows ${rows}`);
    assert.equal(await page.locator('#signin-open').textContent(), 'Войти');
    await shot(page, 'public');
  });

  await step('"add to calendar" gives an iCalendar file of the session; the programme feed is served', async () => {
    const link = page.locator('#schedule tbody tr a.ics').first();
    assert.match(await link.getAttribute('download'), /\.ics$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.match(text, /\r\nDTSTART:2021\d{4}T\d{6}Z\r\n/);
    assert.match(text, /\r\nSUMMARY:.+\r\n/);
    const feed = await page.request.get(new URL(await page.locator('#programme-feed').getAttribute('href'), url).href);
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['content-type'], /^text\/calendar/);
    assert.match(await feed.text(), /BEGIN:VEVENT/);
  });

  await step('the English switch changes the texts and is remembered', async () => {
    await page.click('button[data-lang="en"]');
    await page.waitForFunction(() => document.querySelector('#hubs-title')?.textContent === 'Programme hubs');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('#signin-open').textContent(), 'Sign in');
    assert.match(await page.locator('#hubs-count').textContent(), /^10 hubs$/);
    await page.reload();
    await page.locator('#hub-list > li').nth(9).waitFor();
    assert.equal(await page.locator('#hubs-title').textContent(), 'Programme hubs');
    await shot(page, 'public-en');
    await page.click('button[data-lang="ru"]');
    await page.waitForFunction(() => document.querySelector('#hubs-title')?.textContent === 'Хабы программы');
  });

  await step('narrow screens: the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map((el) => `${el.tagName}.${el.className}`));
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px at 390px: ${wide.join(', ')}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  let scheduledBefore = 0;
  await step('an organiser signs in and sees the dashboard', async () => {
    await signIn(page, 'not a token');
    assert.match(await page.locator('#signin-error').textContent(), /JWT/);
    await page.fill('#signin-token', tokens.organiser);
    await page.click('#signin-submit');
    await page.locator('#kpi-sessions-note').waitFor();
    assert.match(await page.locator('#who').textContent(), /Организатор/);
    assert.match(await page.locator('#kpi-hubs').textContent(), /10\s*из 10/);
    assert.match(await page.locator('#kpi-sessions').textContent(), /из 20/);
    assert.match(await page.locator('#kpi-selected').textContent(), /из 40/);
    scheduledBefore = Number((await page.locator('#kpi-sessions-note').textContent()).match(/запланировано (\d+)/)[1]);
    assert.ok(scheduledBefore >= 20, `scheduled webinars and master classes ${scheduledBefore}`);
    assert.equal(await page.locator('#chart-hubs svg rect.chart-track').count(), 10);
    assert.ok(await page.locator('.timeline rect.stage-bar').count() >= 4);
  });

  await step('a hub lead signs in and sees the hub week calendar', async () => {
    await signIn(page, tokens.hubLead);
    await page.locator('#week .slot').first().waitFor();
    assert.match(await page.locator('#who').textContent(), /Руководитель хаба.*media/);
    assert.equal(await page.locator('#experts > li').count(), 3);
    assert.equal(await page.locator('#week .week-day').count(), 7);
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the calendar view scrolls sideways at 390px');
    await page.setViewportSize({ width: 1280, height: 800 });
    // The demo's first media session: 6 July 2021, 15:00 Moscow.
    assert.match(await page.locator('#week-range').textContent(), /5 июля — 11 июля 2021/);
    const slot = page.locator('#week .slot[data-session="events/media-webinars/sessions/webinar-1"]');
    assert.match(await slot.textContent(), /15:00–16:30/);
    await page.click('#next-week');
    assert.match(await page.locator('#week-range').textContent(), /12 июля — 18 июля 2021/);
    await page.click('#prev-week');
  });

  let bookedName = '';
  await step('the hub lead books a webinar; it appears in the calendar', async () => {
    await page.selectOption('#book-event', 'events/media-webinars');
    await page.fill('#book-title-input', 'Вебинар: как писать о проектах');
    await page.fill('#book-date', '2021-07-08');
    await page.fill('#book-start', '15:00');
    await page.fill('#book-duration', '90');
    await page.selectOption('#book-host', 'experts/petrov-aleksey');
    await page.fill('#book-join', 'https://meet.example.org/media-writing');
    await page.click('#book-submit');
    await page.locator('#notice.ok').waitFor();
    assert.match(await page.locator('#notice').textContent(), /забронирована/);
    const slot = page.locator('#week .slot', { hasText: 'как писать о проектах' });
    await slot.waitFor();
    assert.match(await slot.textContent(), /15:00–16:30/);
    bookedName = await slot.getAttribute('data-session');
    assert.match(bookedName, /^events\/media-webinars\/sessions\//);
    await shot(page, 'hub-calendar');
  });

  await step('a conflicting booking is refused with the reason in Russian and free times offered', async () => {
    await page.fill('#book-title-input', 'Второй вебинар в то же время');
    await page.fill('#book-date', '2021-07-06');
    await page.fill('#book-start', '15:30');
    await page.fill('#book-duration', '60');
    await page.selectOption('#book-host', 'experts/ivanova-elena');
    await page.click('#book-submit');
    const refusal = page.locator('#book-refusal');
    await refusal.waitFor();
    const text = await refusal.textContent();
    assert.match(text, /Бронирование отклонено/);
    assert.match(text, /Эксперт Иванова Елена Сергеевна в это время уже ведёт сессию «Вебинар: лучшие практики хаба «Информационные и медиапроекты»» \(6 июля 2021 г\.(,| в) 15:00–16:30\)/);
    assert.equal(await refusal.getAttribute('aria-live'), 'assertive');
    const chip = page.locator('#suggestions .chip').first();
    await chip.waitFor();
    assert.ok(await page.locator('#suggestions .chip').count() >= 1);
    await shot(page, 'conflict');
    await page.click('#book-refusal .link-btn');
    await page.waitForFunction(() => document.querySelector('#session-detail')?.dataset !== undefined &&
      document.querySelector('#session-detail [data-session]')?.dataset.session === 'events/media-webinars/sessions/webinar-1');
    await chip.click();
    const start = await page.inputValue('#book-start');
    assert.ok(start !== '15:30' || (await page.inputValue('#book-date')) !== '2021-07-06', 'the free time did not fill the form');
    assert.ok(await refusal.isHidden());
  });

  await step('the hub lead reschedules the booked webinar', async () => {
    await page.click(`#week .slot[data-session="${bookedName}"]`);
    await page.locator('#reschedule-form').waitFor();
    await page.fill('#move-start', '17:00');
    await page.click('#reschedule-submit');
    await page.waitForFunction(() => /перенесена/.test(document.querySelector('#notice')?.textContent || ''));
    const slot = page.locator(`#week .slot[data-session="${bookedName}"]`);
    await page.waitForFunction((name) => /17:00–18:30/.test(document.querySelector(`#week .slot[data-session="${name}"]`)?.textContent || ''), bookedName);
    assert.match(await slot.textContent(), /17:00–18:30/);
  });

  await step('the organiser dashboard counts the new booking', async () => {
    await signIn(page, tokens.organiser);
    await page.locator('#kpi-sessions-note').waitFor();
    const after = Number((await page.locator('#kpi-sessions-note').textContent()).match(/запланировано (\d+)/)[1]);
    assert.equal(after, scheduledBefore + 1);
    await shot(page, 'organiser-dashboard');
  });

  await step('the hub lead cancels the webinar; the calendar shows it cancelled', async () => {
    await signIn(page, tokens.hubLead);
    await page.locator('#week .slot').first().waitFor();
    await page.click('#next-week');
    await page.click('#prev-week');
    await page.click(`#week .slot[data-session="${bookedName}"]`);
    await page.fill('#cancel-reason', 'Эксперт заболел');
    await page.click('#cancel-submit');
    await page.waitForFunction((name) => document.querySelector(`#week .slot[data-session="${name}"]`)?.classList.contains('state-cancelled'), bookedName);
    assert.match(await page.locator('#session-detail').textContent(), /Отменена/);
    assert.equal(await page.locator('#cancel-form').count(), 0);
  });

  await step('a token the gateway refuses signs the user out with a message', async () => {
    const [head, , sig] = tokens.organiser.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ sub: 'x', roles: ['organiser'], exp: 4102444800 })).toString('base64url')}.${sig}`;
    await signIn(page, forged);
    await page.locator('#notice.error').waitFor();
    assert.match(await page.locator('#notice').textContent(), /Токен не принят/);
    await page.locator('#signin-open').waitFor();
    await page.locator('#hub-list > li').nth(9).waitFor();
    await page.waitForTimeout(300);  // the dashboard's calls have answered by now
    assert.equal(await page.locator('#kpis').count(), 0, 'the refused dashboard was drawn over the public page');
  });

  await step('a participant sees their sessions view; sign out returns to the public page', async () => {
    await signIn(page, tokens.participant);
    await page.locator('#mine-title').waitFor();
    assert.match(await page.locator('#who').textContent(), /Участник/);
    await page.click('#signout');
    await page.locator('#hub-list > li').nth(9).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('etnik.token')), null);
  });

  await step('an e-mail\'s unsubscribe link asks first, then unsubscribes; a forged link is refused', async () => {
    await page.goto(new URL('/unsubscribe?token=forged.abc', url).href);
    await page.click('#unsubscribe-confirm');
    await page.waitForFunction(() => document.querySelector('#unsubscribe-result')?.textContent.length > 0);
    assert.equal(await page.locator('#unsubscribe-result').getAttribute('class'), 'error');
    await page.goto(process.env.WEB_UNSUBSCRIBE_URL);
    await page.locator('#unsubscribe-confirm').waitFor();
    assert.match(await page.locator('h1').textContent(), /Отписка от писем/);
    await page.click('#unsubscribe-confirm');
    await page.waitForFunction(() => /Готово/.test(document.querySelector('#unsubscribe-result')?.textContent || ''));
    await shot(page, 'unsubscribe');
    const res = await fetch(new URL('/v1/preferences?recipient=participant-1', url),
      { headers: { Authorization: `Bearer ${tokens.organiser}` } });
    const body = await res.json();
    assert.equal(body.preferences?.[0]?.unsubscribed, true, JSON.stringify(body));
  });

  assert.deepEqual(pageErrors, [], 'errors in the page');
} catch (err) {
  failed = true;
  console.error(err);
  try {
    await shot(page, 'failure');
  } catch { /* the screenshot is a help only */ }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// The page's frame: header (language, who is signed in), tabs and the view of the current
// #hash. Each view is a module with render(main, ctx).
import { t, loc, lang, setLang, applyStatic } from './i18n.js';
import { api, identity, signIn, signOut, token, describeError } from './api.js';
import { h } from './format.js';
import * as publicView from './public.js';
import * as hubLead from './hub_lead.js';
import * as organiser from './organiser.js';
import * as participant from './participant.js';
import * as unsubscribe from './unsubscribe.js';

const VIEWS = {
  public: { module: publicView, tab: 'tab.public', role: null },
  hub: { module: hubLead, tab: 'tab.hub', role: 'hub_lead' },
  organiser: { module: organiser, tab: 'tab.organiser', role: 'organiser' },
  participant: { module: participant, tab: 'tab.participant', role: 'participant' },
};

const params = new URLSearchParams(location.search);
const ctx = {
  programmeId: params.get('programme') || 'etnik-2021',
  programme: null,
  who: null,
  notify,
};

function allowedViews() {
  const roles = ctx.who ? ctx.who.roles : [];
  return Object.keys(VIEWS).filter((v) => !VIEWS[v].role || roles.includes(VIEWS[v].role));
}

function currentView() {
  const wanted = location.hash.replace(/^#\/?/, '');
  const allowed = allowedViews();
  if (allowed.includes(wanted)) return wanted;
  return allowed.find((v) => v !== 'public') || 'public';
}

// A message for everyone, screen readers too; errors stay until the next one or a click.
export function notify(message, kind = 'error') {
  const box = document.getElementById('notice');
  box.className = `notice ${kind}`;
  box.replaceChildren(h('span', {}, message),
    h('button', { type: 'button', class: 'notice-close', 'aria-label': t('close'), onclick: () => { box.hidden = true; } }, '×'));
  box.hidden = !message;
}

function renderHeader() {
  applyStatic();
  document.getElementById('programme-title').textContent = ctx.programme ? loc(ctx.programme.title) : '';
  document.title = ctx.programme ? `${t('brand')} — ${loc(ctx.programme.title)}` : t('brand');
  for (const b of document.querySelectorAll('.lang-btn')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang()));
  const view = currentView();
  const tabs = document.getElementById('tabs');
  tabs.replaceChildren(...allowedViews().map((v) => h('a', {
    href: `#/${v}`, class: `tab${v === view ? ' active' : ''}`, 'aria-current': v === view ? 'page' : null,
  }, t(VIEWS[v].tab))));
  const box = document.getElementById('identity');
  if (ctx.who) {
    const roles = ctx.who.roles.map((r) => t(`role.${r}`)).join(', ');
    const hub = ctx.who.hubs.length ? ` · ${t('hubLabel', { hub: ctx.who.hubs.join(', ') })}` : '';
    box.replaceChildren(
      h('span', { class: 'badge', id: 'who', title: ctx.who.subject }, roles || ctx.who.subject, hub),
      h('button', { type: 'button', class: 'btn ghost small', id: 'signout', onclick: onSignOut }, t('signout')));
  } else {
    box.replaceChildren(h('button', { type: 'button', class: 'btn primary small', id: 'signin-open', onclick: openSignIn }, t('signin')));
  }
}

async function render() {
  renderHeader();
  if (location.pathname === '/unsubscribe') {
    document.getElementById('tabs').replaceChildren();
    await unsubscribe.render(document.getElementById('main'));
    return;
  }
  // Each render draws into its own box, so a slower earlier render cannot overwrite a newer one.
  const box = h('div', { class: 'view' }, h('p', { class: 'muted loading', 'aria-busy': 'true' }, t('loading')));
  document.getElementById('main').replaceChildren(box);
  const view = currentView();
  try {
    await VIEWS[view].module.render(box, ctx);
  } catch (err) {
    box.replaceChildren();
    if (box.isConnected) notify(describeError(err));
  }
}

function openSignIn() {
  const dialog = document.getElementById('signin');
  document.getElementById('signin-error').textContent = '';
  document.getElementById('signin-token').value = '';
  dialog.showModal();
}

function onSignOut() {
  signOut();
  ctx.who = null;
  location.hash = '#/public';
  render();
}

function setup() {
  document.getElementById('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    try {
      ctx.who = signIn(document.getElementById('signin-token').value);
      document.getElementById('signin').close();
      document.getElementById('notice').hidden = true;
      const wanted = allowedViews().find((v) => v !== 'public') || 'public';
      if (location.hash !== `#/${wanted}`) location.hash = `#/${wanted}`;
      else render();
    } catch (err) {
      document.getElementById('signin-error').textContent = err.message;
    }
  });
  document.getElementById('signin-cancel').addEventListener('click', () => document.getElementById('signin').close());
  for (const b of document.querySelectorAll('.lang-btn')) {
    b.addEventListener('click', () => { setLang(b.dataset.lang); render(); });
  }
  window.addEventListener('hashchange', render);
  // A token the gateway no longer accepts (expired, or another stack's key): back to public.
  window.addEventListener('etnik-token-refused', () => {
    if (!ctx.who) return;
    signOut();
    ctx.who = null;
    notify(t('err.http401'));
    if (location.hash !== '#/public') location.hash = '#/public';
    else render();
  });
}

async function start() {
  setLang(lang());
  ctx.who = token() ? identity() : null;
  if (ctx.who && ctx.who.expires && ctx.who.expires < new Date()) {
    signOut();
    ctx.who = null;
  }
  setup();
  try {
    ctx.programme = await api('GET', `/v1/programmes/${encodeURIComponent(ctx.programmeId)}`);
  } catch (err) {
    ctx.programme = null;
    notify(String(err.message || err));
  }
  await render();
}

start();

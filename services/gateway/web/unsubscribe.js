// The page an e-mail's unsubscribe link opens (/unsubscribe?token=...): nothing changes until
// the person confirms, so a mail scanner following the link unsubscribes no one.
import { t } from './i18n.js';
import { api, describeError } from './api.js';
import { h } from './format.js';

export async function render(main) {
  const linkToken = new URLSearchParams(location.search).get('token') || '';
  const result = h('p', { id: 'unsubscribe-result', role: 'status', 'aria-live': 'polite' });
  const confirm = h('button', { type: 'button', class: 'btn primary', id: 'unsubscribe-confirm' }, t('unsub.confirm'));
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await api('POST', '/v1/preferences:unsubscribe', { token: linkToken });
      result.className = 'ok';
      result.textContent = t('unsub.done');
      confirm.hidden = true;
    } catch (err) {
      result.className = 'error';
      result.textContent = describeError(err);
      confirm.disabled = false;
    }
  });
  if (!linkToken) {
    confirm.hidden = true;
    result.className = 'error';
    result.textContent = t('unsub.noToken');
  }
  main.replaceChildren(h('section', { class: 'card narrow' },
    h('h1', {}, t('unsub.title')), h('p', {}, t('unsub.text')), result, h('div', { class: 'actions' }, confirm)));
}

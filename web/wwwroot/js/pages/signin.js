// Sign-in: the token goes into this tab's session storage, is checked against /api/me, and the page the visitor
// came from (`next`) opens again. For the Orleans dashboard, the admin's token is also left in a cookie for its path.
import { t } from '../i18n.js';
import { localizePage, mountLangSwitch } from '../ui.js';
import { clearToken, storeToken, currentToken } from '../api.js';

localizePage();
mountLangSwitch(document.getElementById('lang'));

const form = document.getElementById('form');
const input = document.getElementById('token');
const error = document.getElementById('error');
const who = document.getElementById('who');
const signout = document.getElementById('signout');
const next = safeNext(new URLSearchParams(location.search).get('next'));

/** Only a path of this site: never an address elsewhere (no open redirect). */
function safeNext(value) {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

function showError(message) {
  error.textContent = message;
  error.hidden = false;
}

async function me(token) {
  const response = await fetch('/api/me', { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  return { status: response.status, body: response.ok ? await response.json() : null };
}

async function showCurrent() {
  const token = currentToken();
  if (!token) {
    return;
  }
  const { body } = await me(token).catch(() => ({ body: null }));
  if (body?.name) {
    who.textContent = t('signin.current', { name: body.name, role: t(`role.${body.role}`) });
    who.hidden = false;
    signout.hidden = false;
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  error.hidden = true;
  const token = input.value.trim();
  let answer;
  try {
    answer = await me(token);
  } catch {
    showError(t('error.network'));
    return;
  }
  if (answer.status === 401) {
    showError(t('signin.unknown'));
    return;
  }
  if (!answer.body) {
    showError(t('error.other'));
    return;
  }
  storeToken(token);
  if (next.startsWith('/dashboard')) {
    const session = await fetch('/api/session/dashboard', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (!session.ok) {
      showError(t('signin.notAdmin'));
      return;
    }
  }
  input.value = '';
  location.assign(next);
});

signout.addEventListener('click', () => {
  clearToken();
  who.hidden = true;
  signout.hidden = true;
  input.focus();
});

showCurrent();
input.focus();

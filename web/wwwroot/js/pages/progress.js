// A visitor's case progress (办件进度查询): the case id and the 6-digit lookup code handed over at acceptance give
// the matter, the state, the acceptance and the promised deadline, and the steps with their times. No token: the
// code is the key, a wrong one is "not found" like an unknown case, and the server limits look-ups per address.
import { onLangChange, t } from '../i18n.js';
import { deadline } from '../format.js';
import { fill, h, localizePage, mountLangSwitch, routeParameters, setText } from '../ui.js';

const [hallId] = routeParameters();
const form = document.getElementById('lookup');
const caseInput = document.getElementById('case-id');
const codeInput = document.getElementById('code');
const message = document.getElementById('message');
const result = document.getElementById('result');
let shown = null;

localizePage();
mountLangSwitch(document.getElementById('lang'));
onLangChange(() => shown && render(shown));

// A receipt's QR code may carry both: /progress/xinqu?case=…&code=…
const query = new URLSearchParams(location.search);
caseInput.value = query.get('case') ?? '';
codeInput.value = query.get('code') ?? '';

/** The hall's local date and time as the server wrote it (ISO with the hall's offset): 2026-11-23 09:15. */
function local(iso) {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—';
}

function say(text, kind) {
  message.textContent = text;
  message.dataset.kind = kind;
  message.hidden = false;
}

function render(progress) {
  shown = progress;
  setText(document.getElementById('matter'), progress.matterName ?? progress.matter);
  setText(document.getElementById('result-id'), progress.caseId);
  const state = document.getElementById('state');
  state.dataset.state = progress.state;
  setText(state, t(`case.state.${progress.state}`));
  setText(document.getElementById('accepted'), local(progress.acceptedAt));
  setText(document.getElementById('promised'), progress.promisedDue ? t('progress.by', { at: deadline(progress.promisedDue) }) : '—');
  fill(document.getElementById('steps'), ...(progress.steps ?? []).map(step =>
    h('li', { 'data-step': step.step },
      h('span', { class: 'step-name' }, t(`case.step.${step.step}`)),
      h('span', { class: 'step-at num' }, local(step.at)))));
  result.hidden = false;
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  message.hidden = true;
  const caseId = caseInput.value.trim();
  const code = codeInput.value.trim();
  if (!/^[0-9]{6}$/.test(code)) {
    say(t('progress.codeFormat'), 'error');
    return;
  }
  let response;
  try {
    response = await fetch(`/api/halls/${encodeURIComponent(hallId)}/cases/${encodeURIComponent(caseId)}/progress?code=${code}`,
      { headers: { accept: 'application/json' } });
  } catch {
    say(t('error.network'), 'error');
    return;
  }
  if (response.ok) {
    render(await response.json());
    return;
  }
  result.hidden = true;
  shown = null;
  if (response.status === 404 || response.status === 400) {
    say(t('progress.notFound'), 'error');
  } else if (response.status === 429) {
    say(t('progress.tooMany', { seconds: response.headers.get('retry-after') ?? '60' }), 'error');
  } else {
    say(t('error.other'), 'error');
  }
});

if (caseInput.value && codeInput.value) {
  form.requestSubmit();
} else {
  caseInput.focus();
}

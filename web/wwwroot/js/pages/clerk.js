// The clerk console: open, pause, resume and close the window; call, recall, start, complete, mark a
// no-show, transfer; the current ticket with its timer; the queues this window serves; and overtime
// warnings as a banner with a sound the moment they fire.
import { acknowledgeAlert, api, hallConfig } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { deadline, duration, level, time, windowNumber } from '../format.js';
import { connectHall } from '../live.js';
import { HallModel } from '../model.js';
import { alarm, enableSoundOnFirstGesture } from '../sound.js';
import { connectionStatus, h, localizePage, mountLangSwitch, parts, routeParameters, setText, showSimulationBadge, toast } from '../ui.js';

/** The actions that fit each window state; every other button is disabled. */
const allowed = {
  closed: [],
  idle: ['call-next', 'pause', 'close'],
  calling: ['recall', 'start', 'no-show'],
  serving: ['complete', 'transfer'],
  paused: ['resume', 'close'],
};

const [hallId, windowId] = routeParameters();
localizePage();
mountLangSwitch(document.getElementById('lang'));
enableSoundOnFirstGesture();
const onStatus = connectionStatus();
const $ = id => document.getElementById(id);
const clerkKey = `hallmonitor.clerk.${hallId}.${windowId}`;
const bannerLines = 3;

const config = await hallConfig(hallId);
const definition = config.windows.find(w => w.id === windowId);
const model = new HallModel(config);
const base = `/api/halls/${encodeURIComponent(hallId)}/windows/${encodeURIComponent(windowId)}`;
let live = false;
let busy = false;

const myWindow = () => model.windows.get(windowId);
const concerns = alert => (alert.window ? alert.window === windowId : model.serves(windowId, alert.matter));

// ── Actions ───────────────────────────────────────────────────────────────────────────────────────────
/** Sends one action; the buttons wait for its answer, and the event stream then shows the new state. */
async function act(action, body) {
  busy = true;
  renderButtons();
  try {
    return await api(`${base}/${action}`, { method: 'POST', body });
  } finally {
    busy = false;
    renderButtons();
  }
}

const clerkBody = () => ({ clerk: myWindow()?.clerk ?? undefined });

const handlers = {
  'call-next': async () => {
    if (await act('call-next') === null) {
      toast(t('clerk.nobodyWaiting'), { kind: 'info' });
    }
  },
  recall: () => act('recall'),
  start: () => act('start'),
  complete: async () => {
    showHandover(await act('complete'));
    loadCases();
  },
  'no-show': () => act('no-show'),
  transfer: async () => showTransfer(true),
  pause: () => act('pause', clerkBody()),
  resume: () => act('resume', clerkBody()),
  close: () => act('close', clerkBody()),
};

/** A service that opened a case (办件): its number and lookup code go to the visitor before the next call. */
function showHandover(ticket) {
  const panel = $('case-handover');
  if (!ticket?.caseId || !ticket.lookupCode) {
    panel.hidden = true;
    return;
  }
  setText($('case-id'), ticket.caseId);
  setText($('case-code'), ticket.lookupCode);
  setText($('case-due'), '—');
  panel.hidden = false;
  api(`/api/halls/${encodeURIComponent(hallId)}/cases/${encodeURIComponent(ticket.caseId)}`, { quiet: true })
    .then(opened => setText($('case-due'), deadline(opened.promisedDue)))
    .catch(() => {});
}

$('case-dismiss').addEventListener('click', () => { $('case-handover').hidden = true; });

// ── The cases this window accepted (办件), with the steps that may come next ────────────────────────────
const nextSteps = { accepted: ['review'], inReview: ['awaitMaterials', 'decide'], awaitingMaterials: ['resume'], decided: ['deliver'] };
let cases = [];
let casesLoading = null;

function loadCases() {
  casesLoading ??= api(`/api/halls/${encodeURIComponent(hallId)}/cases?state=all`, { quiet: true })
    .then(all => { cases = all.filter(c => c.window === windowId && c.state !== 'delivered'); })
    .catch(() => { cases = []; })
    .finally(() => { casesLoading = null; renderCases(); });
  return casesLoading;
}

async function step(caseId, next) {
  try {
    await api(`/api/halls/${encodeURIComponent(hallId)}/cases/${encodeURIComponent(caseId)}/steps`, { method: 'POST', body: { step: next, by: myWindow()?.clerk ?? undefined } });
  } catch {
    // the toast says why (a step out of order, a case of another window)
  }
  await loadCases();
}

function renderCases() {
  setText($('cases-total'), t('clerk.casesTotal', { n: cases.length }));
  const list = $('case-list');
  if (cases.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, t('clerk.noCases')));
    return;
  }
  list.replaceChildren(...cases.map(c => h('li', { dataset: { case: c.caseId, level: c.level } },
    h('span', { class: 'name' }, h('strong', { class: 'num' }, c.number ?? c.caseId), ` ${c.matterName ?? model.matterName(c.matter)}`,
      h('small', {}, `${t(`case.state.${c.state}`)} · ${t('clerk.caseDue', { due: deadline(c.promisedDue) })}`)),
    h('span', { class: 'case-steps' }, ...(nextSteps[c.state] ?? []).map(next => {
      const button = h('button', { type: 'button', class: 'btn small', dataset: { step: next } }, t(`clerk.step.${next}`));
      button.addEventListener('click', () => { button.disabled = true; step(c.caseId, next); });
      return button;
    })))));
}

for (const button of document.querySelectorAll('[data-action]')) {
  button.addEventListener('click', () => handlers[button.dataset.action]().catch(() => {}));
}

$('open-form').addEventListener('submit', async event => {
  event.preventDefault();
  const clerk = $('clerk-input').value.trim();
  localStorage.setItem(clerkKey, clerk);
  await act('open', { clerk }).catch(() => {});
});
$('clerk-input').value = localStorage.getItem(clerkKey) ?? '';

// ── Transfer ──────────────────────────────────────────────────────────────────────────────────────────
function showTransfer(visible) {
  const form = $('transfer-form');
  form.hidden = !visible;
  if (!visible) {
    return;
  }
  const current = myWindow()?.ticket?.matter;
  const categories = Map.groupBy(config.matters.filter(m => m.code !== current), m => m.category);
  $('transfer-matter').replaceChildren(
    h('option', { value: '' }, t('clerk.transferPick')),
    ...[...categories].map(([category, matters]) => h('optgroup', { label: category },
      ...matters.map(m => h('option', { value: m.code }, `${m.name}（${m.prefix}）`)))));
  $('transfer-matter').focus();
}

$('transfer-cancel').addEventListener('click', () => showTransfer(false));
$('transfer-form').addEventListener('submit', async event => {
  event.preventDefault();
  const matter = $('transfer-matter').value;
  try {
    const leg = await act('transfer', { matter });
    showTransfer(false);
    toast(t('clerk.transferred', { number: leg.number, matter: model.matterName(matter) }), { kind: 'ok' });
  } catch {
    // the toast already says why
  }
});

// ── Alerts ────────────────────────────────────────────────────────────────────────────────────────────
function acknowledgement(alert, quiet) {
  return acknowledgeAlert(hallId, alert.alertId, myWindow()?.clerk, { quiet });
}

async function acknowledge(alert, button) {
  button.disabled = true;
  try {
    await acknowledgement(alert, false);
  } catch {
    button.disabled = false;
  }
}

/** One of many acknowledged at once: one that resolved meanwhile is no error worth a toast. */
async function acknowledgeQuietly(alert) {
  try {
    await acknowledgement(alert, true);
  } catch (error) {
    if (error.status !== 409) {
      toast(error.detail, { kind: 'error' });
    }
  }
}

function alertText(alert) {
  const matter = model.matterName(alert.matter);
  if (['caseDeadline', 'caseStatutoryOverdue', 'followUpOverdue'].includes(alert.kind)) {
    const due = deadline(alert.due);
    return t(`clerk.alert.${alert.kind}`, { matter, number: alert.number ?? alert.ticketId ?? '', due });
  }
  const value = model.alertValue(alert);
  return alert.kind === 'queueBacklog'
    ? t('clerk.alert.queueBacklog', { matter, value, target: alert.target })
    : t(`clerk.alert.${alert.kind}`, { matter, number: alert.number, value: duration(value), target: duration(alert.target) });
}

const alertItems = new Map();

function alertItem(alert) {
  let item = alertItems.get(alert.alertId);
  if (!item) {
    const button = h('button', { type: 'button', class: 'btn small' });
    button.addEventListener('click', () => acknowledge(alertItems.get(alert.alertId).alert, button));
    item = { tag: h('span', { class: 'level-tag' }), text: h('span', { class: 'alert-text num' }), action: h('span', {}), button };
    item.root = h('li', { dataset: { alert: alert.alertId } }, item.tag, item.text, item.action);
    alertItems.set(alert.alertId, item);
  }
  item.alert = alert;
  return item;
}

/** This window's own service first, then what still needs acknowledging, red before yellow. */
function urgency(alert) {
  return (alert.window === windowId ? 4 : 0) + (alert.acknowledgedAt ? 0 : 2) + (alert.level === 'overtime' ? 1 : 0);
}

function renderAlerts() {
  const mine = model.openAlerts().filter(concerns).sort((a, b) => urgency(b) - urgency(a));
  const shown = mine.slice(0, bannerLines);
  for (const [id, item] of alertItems) {
    if (!shown.some(alert => alert.alertId === id)) {
      item.root.remove();
      alertItems.delete(id);
    }
  }
  const banner = $('alert-banner');
  banner.hidden = mine.length === 0;
  if (mine.length === 0) {
    return;
  }
  const unacknowledged = mine.filter(a => !a.acknowledgedAt);
  banner.dataset.level = (unacknowledged.length > 0 ? unacknowledged : mine).some(a => a.level === 'overtime') ? 'overtime' : 'warning';
  const list = $('alert-list');
  const order = shown.map(alert => alertItem(alert).root);
  if (order.some((root, i) => list.children[i] !== root) || list.children.length !== order.length) {
    list.replaceChildren(...order);
  }
  for (const item of alertItems.values()) {
    const { alert } = item;
    item.root.dataset.level = alert.level;
    item.root.toggleAttribute('data-acknowledged', Boolean(alert.acknowledgedAt));
    setText(item.tag, t(`alert.level.${alert.level}`));
    setText(item.text, alertText(alert));
    if (alert.acknowledgedAt) {
      setText(item.action, t('alert.acknowledgedBy', { by: alert.acknowledgedBy ?? '', at: time(new Date(alert.acknowledgedAt), model.timeZone) }));
    } else if (item.button.parentNode !== item.action) {
      item.action.replaceChildren(item.button);
    }
    setText(item.button, t('clerk.acknowledge'));
  }
  const more = mine.length - shown.length;
  $('alert-more').hidden = more === 0 && unacknowledged.length < 2;
  setText($('alert-more-text'), more > 0 ? t('clerk.alertsMore', { n: more }) : '');
  const all = $('acknowledge-all');
  setText(all, t('clerk.acknowledgeAll', { n: unacknowledged.length }));
  all.hidden = unacknowledged.length < 2;
}

$('acknowledge-all').addEventListener('click', async event => {
  const button = event.currentTarget;
  button.disabled = true;
  const pending = model.openAlerts().filter(alert => concerns(alert) && !alert.acknowledgedAt);
  await Promise.all(pending.map(alert => acknowledgeQuietly(alert)));
  button.disabled = false;
});

/** A warning or overtime that has just fired (not an acknowledgement or resolution) is heard at once. */
function fired(alert) {
  if (alert.state !== 'open' || !concerns(alert)) {
    return false;
  }
  return !alert.acknowledgedAt || (alert.escalatedAt && Date.parse(alert.escalatedAt) > Date.parse(alert.acknowledgedAt));
}

// ── Rendering ─────────────────────────────────────────────────────────────────────────────────────────
function renderHeader() {
  const window = myWindow();
  setText($('window-no'), windowNumber(windowId));
  setText($('window-name'), definition.name);
  setText($('hall-name'), config.name);
  showSimulationBadge($('hall-name'));
  document.title = `${definition.name} · ${t('clerk.pageTitle')}`;
  const state = window?.state ?? 'closed';
  const badge = $('state-badge');
  badge.dataset.state = state;
  setText(badge, t(`state.${state}`));
  setText($('clerk-name'), window?.clerk ? t('clerk.clerkIs', { clerk: window.clerk }) : '');
  setText($('served'), t('clerk.servedToday', { n: window?.servedToday ?? 0 }));
}

function renderButtons() {
  const state = myWindow()?.state ?? 'closed';
  for (const button of document.querySelectorAll('[data-action]')) {
    button.disabled = busy || !live || !allowed[state].includes(button.dataset.action);
  }
  $('open-form').querySelector('button').disabled = busy || !live;
  const pause = document.querySelector('[data-action="pause"]');
  const resume = document.querySelector('[data-action="resume"]');
  pause.hidden = state === 'paused';
  resume.hidden = state !== 'paused';
}

function renderTicket() {
  const window = myWindow();
  const state = window?.state ?? 'closed';
  $('open-form').hidden = state !== 'closed';
  $('desk').hidden = state === 'closed';
  if (state !== 'serving') {
    showTransfer(false);
  }
  const ticket = window?.ticket;
  const box = $('ticket');
  box.dataset.state = state;
  setText($('ticket-caption'), t(`clerk.caption.${state}`));
  setText($('ticket-number'), ticket ? ticket.number : t(`clerk.number.${state}`));
  const tags = [];
  if (ticket?.priority) {
    tags.push(h('span', { class: 'tag priority' }, t('ticket.priority')));
  }
  if (ticket?.recalls > 0) {
    tags.push(h('span', { class: 'tag' }, t('clerk.recalls', { n: ticket.recalls })));
  }
  $('ticket-tags').replaceChildren(...tags);
  const matter = ticket ? model.matters.get(ticket.matter) : null;
  setText($('ticket-matter'), matter ? `${matter.name} · ${matter.category}` : '');
  setText($('t-target'), matter ? duration(matter.handleTargetSeconds) : '—');
  setText($('t-waited'), ticket ? duration((ticket.calledAt - ticket.issuedAt) / 1000) : '—');
  setText($('t-elapsed-label'), t(state === 'serving' ? 'clerk.handling' : state === 'calling' ? 'clerk.sinceCalled' : 'clerk.elapsed'));
  tickTicket();
}

function tickTicket() {
  const window = myWindow();
  const elapsed = $('t-elapsed');
  if (!window || window.state === 'closed') {
    setText(elapsed, '—');
    return;
  }
  const seconds = (model.now() - window.stateSince) / 1000;
  setText(elapsed, duration(seconds));
  const matter = window.ticket ? model.matters.get(window.ticket.matter) : null;
  elapsed.dataset.level = window.state === 'serving' && matter ? level(seconds, matter.handleTargetSeconds, model.warnRatio) : 'ok';
}

function renderQueues() {
  const served = [...model.queues.values()].filter(queue => model.serves(windowId, queue.matter));
  const rows = served
    .map(queue => ({ queue, waiting: queue.waiting, oldest: model.oldestWaitSeconds(queue) }))
    .filter(row => row.waiting > 0 || served.length <= 8)
    .sort((a, b) => b.waiting - a.waiting || b.oldest - a.oldest || a.queue.matter.localeCompare(b.queue.matter));
  const total = served.reduce((sum, queue) => sum + queue.waiting, 0);
  $('queues-total').replaceChildren(...parts('clerk.queuesTotal', { n: total }, (_, value) => h('strong', { class: 'num' }, value)));
  const list = $('queue-list');
  if (rows.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, t('clerk.noQueue')));
    return;
  }
  list.replaceChildren(...rows.map(({ queue, waiting, oldest }) => h('li', { dataset: { matter: queue.matter, level: level(oldest, queue.waitTargetSeconds, model.warnRatio) } },
    h('span', { class: 'name' }, queue.name, h('small', {}, `${queue.category} · ${queue.prefix}`)),
    h('span', { class: 'waiting num' }, String(waiting)),
    h('span', { class: 'oldest num' }, waiting > 0 ? duration(oldest) : '—'))));
}

function render() {
  renderHeader();
  renderTicket();
  renderButtons();
  renderQueues();
  renderAlerts();
}

connectHall({
  hall: hallId,
  window: windowId,
  onSnapshot: snapshot => {
    model.reset(snapshot);
    live = true;
    render();
  },
  onEvent: event => {
    const stale = model.apply(event);
    render();
    if (event.type === 'caseOpened' || event.type === 'caseStepped') {
      loadCases();
    }
    return stale;
  },
  onAlert: alert => {
    if (fired(alert)) {
      alarm();
    }
  },
  onStatus: (status, detail) => {
    live = status === 'live' && model.serviceDay !== '';
    onStatus(status, detail);
    renderButtons();
  },
});

setInterval(() => {
  if (live) {
    tickTicket();
    renderQueues();
    renderAlerts();
  }
}, 1000);
onLangChange(() => {
  renderCases();
  if (live) {
    render();
  }
});
loadCases();
renderButtons();

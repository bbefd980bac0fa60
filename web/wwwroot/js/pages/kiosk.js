// The ticket kiosk (取号机): pick a sector, then a matter, optionally ask for priority; the new number is
// shown with the people ahead and the estimated wait, and the kiosk returns to the picker by itself.
import { api, hallConfig, idempotencyKey } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { clock, minutes } from '../format.js';
import { connectHall } from '../live.js';
import { HallModel } from '../model.js';
import { connectionStatus, fill, h, localizePage, mountLangSwitch, parts, routeParameters, setText, showSimulationBadge } from '../ui.js';

const returnAfterSeconds = 20;

const [hallId] = routeParameters();
localizePage();
mountLangSwitch(document.getElementById('lang'));
const onStatus = connectionStatus();
const $ = id => document.getElementById(id);

const config = await hallConfig(hallId);
const model = new HallModel(config);
const categories = [...Map.groupBy(config.matters, m => m.category)];
let category = categories[0]?.[0];
let priority = false;
let live = false;
let issuing = false;

function waiting(matter) {
  return live ? model.queues.get(matter)?.waiting ?? 0 : null;
}

function renderCategories() {
  $('categories').replaceChildren(...categories.map(([name]) => {
    const button = h('button', { type: 'button', class: 'category', dataset: { category: name }, 'aria-pressed': String(name === category) },
      name, h('small', {}));
    button.addEventListener('click', () => {
      category = name;
      render();
    });
    return button;
  }));
}

function renderMatters() {
  setText($('category-title'), t('kiosk.pick', { category }));
  const matters = categories.find(([name]) => name === category)?.[1] ?? [];
  $('matters').replaceChildren(...matters.map(matter => {
    const button = h('button', { type: 'button', class: 'matter', dataset: { matter: matter.code } },
      h('span', { class: 'matter-name' }, matter.name),
      h('span', { class: 'matter-meta' }, h('span', { class: 'matter-prefix num' }, matter.prefix), h('span', { class: 'matter-waiting' })));
    button.addEventListener('click', () => issue(matter));
    return button;
  }));
}

/** Waiting counts on the buttons, kept live; the buttons themselves stay put under a finger. */
function renderCounts() {
  for (const button of $('categories').children) {
    const matters = categories.find(([name]) => name === button.dataset.category)[1];
    const people = matters.reduce((sum, m) => sum + (waiting(m.code) ?? 0), 0);
    setText(button.querySelector('small'), live ? t('kiosk.waitingShort', { n: people }) : '');
  }
  for (const button of $('matters').children) {
    const people = waiting(button.dataset.matter);
    fill(button.querySelector('.matter-waiting'),
      people !== null && parts('kiosk.waiting', { n: people }, (_, value) => h('strong', { class: 'num' }, value)));
    button.disabled = issuing;
  }
}

function render() {
  setText($('hall-name'), config.name);
  showSimulationBadge($('hall-name'));
  document.title = `${config.name} · ${t('kiosk.pageTitle')}`;
  renderCategories();
  renderMatters();
  renderCounts();
}

// ── Priority ──────────────────────────────────────────────────────────────────────────────────────────
const priorityButton = $('priority');
function setPriority(value) {
  priority = value;
  priorityButton.setAttribute('aria-pressed', String(value));
}
priorityButton.addEventListener('click', () => setPriority(!priority));

// ── The ticket ────────────────────────────────────────────────────────────────────────────────────────
let countdown = null;
const issueAttempts = 3;

async function issue(matter) {
  if (issuing) {
    return;
  }
  issuing = true;
  renderCounts();
  // One key per press: when the answer is lost (the network, or a 503 while the hall moves to another server),
  // asking again with it answers the ticket already taken instead of a second number.
  const key = idempotencyKey();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const ticket = await api(`/api/halls/${encodeURIComponent(hallId)}/tickets`, {
          method: 'POST',
          body: { matter: matter.code, channel: 'kiosk', priority },
          headers: { 'Idempotency-Key': key },
          quiet: attempt < issueAttempts,
        });
        showTicket(ticket, matter);
        return;
      } catch (error) {
        if (attempt >= issueAttempts || (error.status !== 0 && error.status !== 503)) {
          return; // the toast says why; the visitor can try again
        }
        await new Promise(resolve => setTimeout(resolve, 1000 * attempt));
      }
    }
  } finally {
    issuing = false;
    renderCounts();
  }
}

function showTicket(ticket, matter) {
  setText($('slip-hall'), config.name);
  setText($('result-number'), ticket.number);
  fill($('result-matter'), matter.name, ticket.priority && h('span', { class: 'tag' }, t('ticket.priority')));
  setText($('result-ahead'), t('kiosk.people', { n: ticket.ahead }));
  setText($('result-estimate'), ticket.ahead === 0 ? t('kiosk.soon') : minutes(ticket.estimatedWaitSeconds));
  setText($('result-issued'), t('kiosk.issuedAt', { time: clock(new Date(ticket.issuedAt), model.timeZone) }));
  $('result').hidden = false;

  let left = returnAfterSeconds;
  const tick = () => setText($('done'), t('kiosk.done', { n: left }));
  tick();
  clearInterval(countdown);
  countdown = setInterval(() => {
    left--;
    if (left <= 0) {
      backToPicker();
    } else {
      tick();
    }
  }, 1000);
}

function backToPicker() {
  clearInterval(countdown);
  $('result').hidden = true;
  setPriority(false);
  category = categories[0]?.[0];
  render();
}

$('done').addEventListener('click', backToPicker);

connectHall({
  hall: hallId,
  onSnapshot: snapshot => {
    model.reset(snapshot);
    live = true;
    render();
  },
  onEvent: event => {
    const stale = model.apply(event);
    if (event.type.startsWith('ticket')) {
      renderCounts();
    }
    return stale;
  },
  onStatus: (status, detail) => {
    onStatus(status, detail);
    if (status !== 'live' && live) {
      live = false;
      renderCounts();
    }
  },
});

render();
setInterval(() => setText($('clock'), clock(new Date(model.now()), model.timeZone)), 1000);
setText($('clock'), clock(new Date(model.now()), model.timeZone));
onLangChange(render);

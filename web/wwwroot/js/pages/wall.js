// The wall (大屏): every window, the busiest queues, today's KPIs, tickets per hour, hot matters and the
// live alert list. It starts from the snapshot and applies each journal event; a clock ticks the timers.
/* global echarts */
import { acknowledgeAlert, hallConfig } from '../api.js';
import { basisText, hourLabel, needLevel, shortfall, staffingForecast } from '../forecast.js';
import { lang, onLangChange, t } from '../i18n.js';
import { clock, deadline, duration, level, longDate, percent, time, windowNumber, windowTitle } from '../format.js';
import { connectHall } from '../live.js';
import { HallModel } from '../model.js';
import { connectionStatus, fill, h, localizePage, mountLangSwitch, routeParameters, setText, showSimulationBadge } from '../ui.js';

const states = ['idle', 'calling', 'serving', 'paused', 'closed'];
const dutyKey = 'hallmonitor.duty';

const [hallId] = routeParameters();
localizePage();
mountLangSwitch(document.getElementById('lang'));
const onStatus = connectionStatus();

const config = await hallConfig(hallId);
const model = new HallModel(config);
let live = false;

const $ = id => document.getElementById(id);
const remPx = () => Number.parseFloat(getComputedStyle(document.documentElement).fontSize);

// ── Header ────────────────────────────────────────────────────────────────────────────────────────────
function renderHeader() {
  setText($('hall-name'), config.name);
  showSimulationBadge($('hall-name'));
  document.title = `${config.name} · ${t('wall.pageTitle')}`;
  const now = new Date(model.now());
  setText($('date'), longDate(now, model.timeZone));
  setText($('clock'), clock(now, model.timeZone));
}

function renderLegend() {
  $('legend').replaceChildren(...states.map(state =>
    h('li', {}, h('i', { style: { '--swatch': `var(--state-${state})` } }), t(`state.${state}`))));
}

// ── KPIs ──────────────────────────────────────────────────────────────────────────────────────────────
const kpiCards = ['issued', 'waiting', 'completed', 'avgWait', 'avgHandle', 'serviceLevel', 'satisfaction', 'alerts'];
const kpiElements = new Map(kpiCards.map(key => {
  const value = h('div', { class: 'kpi-value num' });
  const sub = h('div', { class: 'kpi-sub' });
  const label = h('div', { class: 'kpi-label' });
  const card = h('div', { class: 'kpi', dataset: { kpi: key } }, label, value, sub);
  $('kpis').append(card);
  return [key, { card, label, value, sub }];
}));

function kpi(key, value, sub, levelName = null) {
  const element = kpiElements.get(key);
  setText(element.label, t(`kpi.${key}`));
  setText(element.value, value);
  setText(element.sub, sub);
  if (levelName) {
    element.card.dataset.level = levelName;
  } else {
    delete element.card.dataset.level;
  }
}

function renderKpis() {
  const k = model.kpis;
  kpi('issued', k.issued, t('kpi.issuedSub', { called: k.called }));
  kpi('waiting', k.waiting, t('kpi.waitingSub', { queues: [...model.queues.values()].filter(q => q.waiting > 0).length }));
  kpi('completed', k.completed, t('kpi.completedSub', { noShow: k.noShow }));
  kpi('avgWait', duration(k.avgWaitSeconds), t('kpi.avgWaitSub'));
  kpi('avgHandle', duration(k.avgHandleSeconds), t('kpi.avgHandleSub'));
  kpi('serviceLevel', percent(k.serviceLevel), t('kpi.serviceLevelSub'));
  kpi('satisfaction', percent(k.satisfactionRate), t('kpi.satisfactionSub', { rated: k.rated }));
  kpi('alerts', k.openAlerts, t('kpi.alertsSub', { raised: model.figures.alertsRaised }), k.openAlerts > 0 ? 'overtime' : null);
}

// ── Windows ───────────────────────────────────────────────────────────────────────────────────────────
const tiles = new Map();

function tileFor(window) {
  let tile = tiles.get(window.windowId);
  if (!tile) {
    tile = {
      no: h('span', { class: 'tile-no num' }),
      name: h('span', { class: 'tile-name' }),
      state: h('span', { class: 'tile-state' }),
      number: h('div', { class: 'tile-number num' }),
      clerk: h('span', { class: 'tile-clerk' }),
      elapsed: h('span', { class: 'tile-elapsed num' }),
    };
    tile.root = h('div', { class: 'tile', dataset: { window: window.windowId } },
      h('div', { class: 'tile-head' }, tile.no, tile.name, tile.state),
      tile.number,
      h('div', { class: 'tile-foot' }, tile.clerk, tile.elapsed));
    tiles.set(window.windowId, tile);
  }
  return tile;
}

/** Columns and rows that make the tiles as large as the panel allows, about 4:3 each. */
function layoutTiles() {
  const container = $('windows');
  const count = model.windows.size;
  const { clientWidth: width, clientHeight: height } = container;
  let best = { cols: 1, rows: count, size: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const size = Math.min(width / cols / 1.35, height / rows);
    if (size > best.size) {
      best = { cols, rows, size };
    }
  }
  container.style.setProperty('--cols', best.cols);
  container.style.setProperty('--rows', best.rows);
}

function renderWindows() {
  const container = $('windows');
  const windows = [...model.windows.values()];
  if (container.children.length !== windows.length) {
    container.replaceChildren(...windows.map(w => tileFor(w).root));
    layoutTiles();
  }
  for (const window of windows) {
    const tile = tileFor(window);
    tile.root.dataset.state = window.state;
    setText(tile.no, windowNumber(window.windowId));
    setText(tile.name, windowTitle(window.name));
    setText(tile.state, t(`state.${window.state}`));
    setText(tile.clerk, window.clerk ?? '');
    if (window.ticket) {
      delete tile.number.dataset.empty;
      const shown = tile.number.dataset.shown;
      const key = `${window.ticket.number}|${window.ticket.priority}|${lang()}`;
      if (shown !== key) {
        fill(tile.number, window.ticket.number, window.ticket.priority && h('span', { class: 'priority' }, t('ticket.priority')));
        tile.number.dataset.shown = key;
      }
    } else {
      tile.number.dataset.empty = '';
      tile.number.dataset.shown = '';
      setText(tile.number, t(`wall.tile.${window.state}`));
    }
  }
  tickWindows();
}

function tickWindows() {
  const now = model.now();
  for (const window of model.windows.values()) {
    const tile = tiles.get(window.windowId);
    if (!tile) {
      continue;
    }
    const seconds = (now - window.stateSince) / 1000;
    setText(tile.elapsed, window.state === 'closed' ? '' : duration(seconds));
    const target = window.state === 'serving' && window.ticket ? model.matters.get(window.ticket.matter)?.handleTargetSeconds : null;
    tile.elapsed.dataset.level = target ? level(seconds, target, model.warnRatio) : 'ok';
  }
}

// ── Queues ────────────────────────────────────────────────────────────────────────────────────────────
/** Hides the items that do not fit their container and answers how many were hidden. */
function fit(container) {
  let hidden = 0;
  const limit = container.clientHeight;
  for (const child of container.children) {
    child.hidden = false;
  }
  for (const child of container.children) {
    if (child.offsetTop - container.offsetTop + child.offsetHeight > limit + 1) {
      child.hidden = true;
      hidden++;
    }
  }
  return hidden;
}

function renderQueues() {
  const queues = [...model.queues.values()]
    .map(queue => ({ queue, waiting: queue.waiting, oldest: model.oldestWaitSeconds(queue) }))
    .filter(q => q.waiting > 0)
    .sort((a, b) => b.waiting - a.waiting || b.oldest - a.oldest);
  const container = $('queues');
  if (queues.length === 0) {
    container.replaceChildren(h('p', { class: 'empty' }, t('wall.noQueue')));
  } else {
    container.replaceChildren(...queues.map(({ queue, waiting, oldest }) => {
      const priority = queue.priorityWaiting;
      return h('div', { class: 'queue-row', dataset: { matter: queue.matter, level: level(oldest, queue.waitTargetSeconds, model.warnRatio) } },
        h('span', { class: 'queue-name' }, h('span', { class: 'queue-prefix num' }, queue.prefix), queue.name, h('small', {}, queue.category)),
        h('span', { class: 'queue-waiting num' }, priority > 0 ? h('small', {}, t('wall.priorityCount', { n: priority })) : null, String(waiting)),
        h('span', { class: 'queue-oldest num' }, duration(oldest)));
    }));
  }
  const hidden = queues.length > 0 ? fit(container) : 0;
  const total = queues.reduce((sum, q) => sum + q.waiting, 0);
  setText($('queues-total'), t('wall.queuesTotal', { people: total, matters: queues.length }));
  setText($('queues-more'), hidden > 0 ? t('wall.queuesMore', { n: hidden }) : '');
}

// ── Hot matters ───────────────────────────────────────────────────────────────────────────────────────
function renderHot() {
  const hot = [...model.queues.values()]
    .filter(queue => queue.issued > 0)
    .sort((a, b) => b.issued - a.issued || a.matter.localeCompare(b.matter));
  const list = $('hot');
  if (hot.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, t('wall.noTickets')));
    return;
  }
  const most = hot[0].issued;
  list.replaceChildren(...hot.map((queue, index) => h('li', { class: 'hot-item' },
    h('span', { class: 'hot-rank num' }, String(index + 1)),
    h('span', { class: 'hot-name' }, queue.name),
    h('span', { class: 'hot-count num' }, String(queue.issued)),
    h('span', { class: 'hot-bar' }, h('i', { style: { '--share': `${(queue.issued / most) * 100}%` } })))));
  fit(list);
}

// ── Tickets per hour ──────────────────────────────────────────────────────────────────────────────────
const chart = echarts.init($('hourly-chart'), null, { renderer: 'canvas' });
let chartKey = '';

function renderHourly() {
  const currentHour = Number(clock(new Date(model.now()), model.timeZone).slice(0, 2));
  const active = model.hourly.map((figures, hour) => ({ hour, ...figures })).filter(f => f.issued > 0 || f.completed > 0);
  const first = Math.min(8, ...active.map(f => f.hour));
  const last = Math.max(18, currentHour, ...active.map(f => f.hour));
  const hours = model.hourly.slice(first, last + 1).map((figures, i) => ({ hour: first + i, ...figures }));
  const peak = hours.reduce((best, f) => (f.issued > (best?.issued ?? 0) ? f : best), null);

  const key = JSON.stringify([hours, lang(), remPx(), chart.getWidth(), chart.getHeight()]);
  setText($('peak'), peak ? t('wall.peak', { from: `${peak.hour}:00`, to: `${peak.hour + 1}:00`, n: peak.issued }) : t('wall.noTickets'));
  if (key === chartKey) {
    return;
  }
  chartKey = key;

  const rem = remPx();
  const axisText = { color: '#9fb3cf', fontSize: rem * 1.05, fontFamily: getComputedStyle(document.body).fontFamily };
  chart.setOption({
    animation: false,
    grid: { left: rem * 3, right: rem * 1, top: rem * 2.4, bottom: rem * 2 },
    legend: { top: 0, right: 0, textStyle: axisText, itemWidth: rem, itemHeight: rem * 0.7, data: [t('wall.chartIssued'), t('wall.chartCompleted')] },
    xAxis: {
      type: 'category',
      data: hours.map(f => String(f.hour)),
      axisLabel: { ...axisText, formatter: value => t('wall.hourLabel', { h: value }) },
      axisLine: { lineStyle: { color: '#2a4f82' } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: axisText,
      splitLine: { lineStyle: { color: 'rgba(255,255,255,0.07)' } },
    },
    series: [
      {
        name: t('wall.chartIssued'),
        type: 'bar',
        barWidth: '55%',
        data: hours.map(f => ({
          value: f.issued,
          itemStyle: { color: peak && f.hour === peak.hour ? '#ffb21f' : '#2f7de1', borderRadius: [rem * 0.25, rem * 0.25, 0, 0] },
        })),
        label: { show: true, position: 'top', color: '#f2f6fc', fontSize: rem * 0.95, formatter: p => (p.value > 0 ? p.value : '') },
      },
      {
        name: t('wall.chartCompleted'),
        type: 'line',
        smooth: true,
        showSymbol: false,
        data: hours.map(f => f.completed),
        lineStyle: { color: '#22c27d', width: rem * 0.2 },
        itemStyle: { color: '#22c27d' },
      },
    ],
  }, true);
}

// ── Alerts ────────────────────────────────────────────────────────────────────────────────────────────
const alertItems = new Map();
const duty = $('duty');
duty.value = localStorage.getItem(dutyKey) ?? '';
duty.addEventListener('change', () => localStorage.setItem(dutyKey, duty.value.trim()));

async function acknowledge(alert, button) {
  button.disabled = true;
  try {
    await acknowledgeAlert(hallId, alert.alertId, duty.value.trim());
  } catch {
    button.disabled = false;
  }
}

/** Cards of cases and follow-ups: about a deadline (a date), not a running duration. */
const deadlineKinds = new Set(['caseDeadline', 'caseStatutoryOverdue', 'followUpOverdue']);


function alertTexts(alert) {
  const matter = model.matterName(alert.matter);
  if (deadlineKinds.has(alert.kind)) {
    const key = alert.kind === 'caseDeadline' && alert.level === 'overtime' ? 'caseDeadlineOver' : alert.kind;
    return {
      title: `${t(`alert.${key}`)} · ${alert.number ?? alert.ticketId ?? ''}`,
      detail: alert.kind === 'followUpOverdue'
        ? t('alert.followUpDetail', { number: alert.number ?? alert.ticketId ?? '', due: deadline(alert.due) })
        : t('alert.caseDetail', { matter, due: deadline(alert.due) }),
    };
  }
  const backlog = alert.kind === 'queueBacklog';
  const measure = backlog ? String : duration;
  const subject = backlog
    ? matter
    : alert.kind === 'handleOvertime'
      ? t('alert.atWindow', { window: windowNumber(alert.window), number: alert.number })
      : alert.number;
  return {
    title: `${t(`alert.${alert.kind}`)} · ${subject}`,
    detail: t(`alert.${alert.kind}Detail`, {
      matter,
      value: measure(model.alertValue(alert)),
      target: measure(alert.target),
      at: time(new Date(alert.escalatedAt ?? alert.raisedAt), model.timeZone),
      call: alert.due ? time(new Date(alert.due), model.timeZone) : '',
    }),
  };
}

function alertItem(alert) {
  let item = alertItems.get(alert.alertId);
  if (!item) {
    const button = h('button', { class: 'btn small go', type: 'button' });
    button.addEventListener('click', () => acknowledge(alertItems.get(alert.alertId).alert, button));
    item = {
      level: h('span', { class: 'level-text' }),
      title: h('span', {}),
      detail: h('div', { class: 'alert-detail num' }),
      action: h('div', { class: 'alert-action' }),
      button,
    };
    item.root = h('li', { class: 'alert', dataset: { alert: alert.alertId } },
      h('div', { class: 'alert-title' }, item.level, item.title), item.action, item.detail);
    alertItems.set(alert.alertId, item);
  }
  item.alert = alert;
  return item;
}

function renderAlerts() {
  const open = model.openAlerts();
  const list = $('alerts');
  for (const id of [...alertItems.keys()]) {
    if (!model.alerts.has(id)) {
      alertItems.get(id).root.remove();
      alertItems.delete(id);
    }
  }
  setText($('alerts-count'), t('wall.alertsCount', { n: open.length }));
  if (open.length === 0) {
    const empty = list.querySelector('.empty') ?? h('li', { class: 'empty' });
    setText(empty, t('wall.noAlerts'));
    if (empty.parentNode !== list) {
      list.replaceChildren(empty);
    }
    setText($('alerts-more'), '');
    return;
  }
  list.querySelector('.empty')?.remove();
  const order = open.map(alert => alertItem(alert).root);
  if (order.some((root, i) => list.children[i] !== root)) {
    list.replaceChildren(...order);
  }
  tickAlerts();
  const hidden = fit(list);
  setText($('alerts-more'), hidden > 0 ? t('wall.alertsMore', { n: hidden }) : '');
}

function tickAlerts() {
  for (const item of alertItems.values()) {
    const { alert } = item;
    const texts = alertTexts(alert);
    item.root.dataset.level = alert.level;
    item.root.toggleAttribute('data-acknowledged', Boolean(alert.acknowledgedAt));
    setText(item.level, t(`alert.level.${alert.level}`));
    setText(item.title, texts.title);
    setText(item.detail, texts.detail);
    if (alert.acknowledgedAt) {
      setText(item.action, t('alert.acknowledgedBy', { by: alert.acknowledgedBy ?? '', at: time(new Date(alert.acknowledgedAt), model.timeZone) }));
    } else {
      setText(item.button, t('alert.acknowledge'));
      if (item.button.parentNode !== item.action) {
        item.action.replaceChildren(item.button);
      }
    }
  }
}

// ── Staffing advice ───────────────────────────────────────────────────────────────────────────────────
// Per sector, the windows needed in the coming hours beside those open now, red where short. Asked for once a
// minute and whenever the hall's hour turns (a simulated hall's hours pass quickly); a token without the
// permission leaves the panel hidden.
const staffingHours = 4;
let forecast = null;
let forecastHour = null;

async function loadForecast() {
  forecastHour = clock(new Date(model.now()), model.timeZone).slice(0, 2);
  try {
    forecast = await staffingForecast(hallId, staffingHours);
  } catch {
    forecast = null;
  }
  renderStaffing();
}

function renderStaffing() {
  const panel = $('staffing-panel');
  panel.hidden = forecast === null;
  if (forecast === null) {
    return;
  }
  const sectors = [...forecast.sectors].sort((a, b) =>
    shortfall(b.staffing[0], b.windowsOpen) - shortfall(a.staffing[0], a.windowsOpen)
    || (b.staffing[0].windowsNeeded ?? 0) - (a.staffing[0].windowsNeeded ?? 0)
    || b.waiting - a.waiting);
  const hours = forecast.sectors[0]?.staffing ?? [];
  setText($('staffing-note'), t('wall.staffingNote', { basis: hours.length > 0 ? basisText(hours[0]) : '' }));
  const head = h('tr', {},
    h('th', { class: 'staffing-sector' }, t('wall.staffingSector')),
    h('th', {}, t('wall.staffingOpen')),
    ...hours.map(row => h('th', {}, hourLabel(row.from, model.timeZone))));
  // The whole hall: from what it needs with every window shared (the pooled line) to what its sectors need on their
  // own lines added up; red when fewer windows are open than even the pooled line needs, yellow below the sum.
  const separate = hours.map((_, i) => forecast.sectors.reduce((sum, sector) => sum + (sector.staffing[i].windowsNeeded ?? 0), 0));
  const whole = h('tr', { dataset: { total: '' } },
    h('td', { class: 'staffing-sector' }, t('wall.staffingHall')),
    h('td', { class: 'staffing-open num' }, String(forecast.pooled.windowsOpen)),
    ...forecast.pooled.staffing.map((row, i) => {
      const level = needLevel(row, forecast.pooled.windowsOpen);
      const tight = level !== 'short' && row.windowsNeeded !== null && separate[i] > forecast.pooled.windowsOpen;
      return h('td', {
        class: 'staffing-need num',
        dataset: { level: tight ? 'tight' : level },
        title: t('wall.staffingRange', { pooled: row.windowsNeeded ?? '—', separate: separate[i] }),
      }, row.windowsNeeded === null ? '—' : separate[i] > row.windowsNeeded ? `${row.windowsNeeded}–${separate[i]}` : String(row.windowsNeeded));
    }));
  const body = h('tbody', {}, whole, ...sectors.map(sector => h('tr', { dataset: { sector: sector.sector } },
    h('td', { class: 'staffing-sector' }, sector.sector),
    h('td', { class: 'staffing-open num' }, String(sector.windowsOpen)),
    ...sector.staffing.map(row => h('td', {
      class: 'staffing-need num',
      dataset: { level: needLevel(row, sector.windowsOpen) },
      title: basisText(row),
    }, row.windowsNeeded === null ? '—' : String(row.windowsNeeded))))));
  $('staffing').replaceChildren(h('thead', {}, head), body);
  fitStaffing();
}

/** Hides the sector rows that do not fit whole (again every second: the panel's size settles as fonts load). */
function fitStaffing() {
  const body = $('staffing').tBodies[0];
  if (!body || $('staffing-panel').hidden) {
    return;
  }
  for (const row of body.rows) {
    row.hidden = false;
  }
  const bottom = $('staffing').parentElement.getBoundingClientRect().bottom;
  let hidden = 0;
  for (const row of body.rows) {
    row.hidden = hidden > 0 || row.getBoundingClientRect().bottom > bottom + 1;
    hidden += row.hidden ? 1 : 0;
  }
  setText($('staffing-more'), hidden > 0 ? t('wall.staffingMore', { n: hidden }) : '');
}

// ── Putting it together ───────────────────────────────────────────────────────────────────────────────
function render() {
  renderHeader();
  renderLegend();
  renderKpis();
  renderWindows();
  renderQueues();
  renderHot();
  renderHourly();
  renderAlerts();
  renderStaffing();
}

let scheduled = null;
function schedule() {
  scheduled ??= setTimeout(() => {
    scheduled = null;
    render();
  }, 0);
}

connectHall({
  hall: hallId,
  onSnapshot: snapshot => {
    model.reset(snapshot);
    if (!live) {
      loadForecast();
    }
    live = true;
    schedule();
  },
  onEvent: event => {
    const stale = model.apply(event);
    schedule();
    return stale;
  },
  onStatus,
});

setInterval(() => {
  if (!live) {
    return;
  }
  renderHeader();
  tickWindows();
  renderQueues();
  tickAlerts();
  renderHourly();
  fitStaffing();
  if (clock(new Date(model.now()), model.timeZone).slice(0, 2) !== forecastHour) {
    loadForecast();
  }
}, 1000);

setInterval(() => live && loadForecast(), 60_000);

onLangChange(() => live && render());
window.addEventListener('resize', () => {
  chart.resize();
  layoutTiles();
  schedule();
});

// The auditor's page (效能监察): the summary report over any range of service days and any grouping, its
// charts (peak hours, hot matters, spread of waits and services, the daily service level and satisfaction),
// the journal's hash-chain verification and the look-up of one ticket's tamper-evident history. Every figure
// is the API's; the range, grouping and ticket are kept in the address, so a view can be shared.
/* global echarts */
import { api, errorTitle, hallConfig } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { count, dateTime, deadline, duration, percent, time, weekday, windowNumber, windowTitle } from '../format.js';
import { basisText, hourLabel, needLevel, staffingForecast } from '../forecast.js';
import { fill, h, localizePage, mountLangSwitch, routeParameters, setText, showSimulationBadge } from '../ui.js';

const groupings = ['hall', 'window', 'clerk', 'matter', 'hour', 'day'];
const presetNames = ['today', 'week', 'month', 'lastMonth', 'last30'];
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The summary's columns after the key, in the API's order, under the heading of their group. */
const columns = [
  { field: 'issued', group: 'counts', kind: 'count' },
  { field: 'completed', group: 'counts', kind: 'count' },
  { field: 'noShow', group: 'counts', kind: 'count' },
  { field: 'cancelled', group: 'counts', kind: 'count' },
  { field: 'transferred', group: 'counts', kind: 'count' },
  { field: 'expired', group: 'counts', kind: 'count' },
  { field: 'avgWaitSeconds', group: 'wait', kind: 'duration' },
  { field: 'p90WaitSeconds', group: 'wait', kind: 'duration' },
  { field: 'waitOvertime', group: 'wait', kind: 'overtime' },
  { field: 'avgHandleSeconds', group: 'handle', kind: 'duration' },
  { field: 'p90HandleSeconds', group: 'handle', kind: 'duration' },
  { field: 'handleOvertime', group: 'handle', kind: 'overtime' },
  { field: 'rated', group: 'rating', kind: 'count' },
  { field: 'satisfactionRate', group: 'rating', kind: 'rate' },
  { field: 'serviceLevel', group: 'rates', kind: 'rate' },
  { field: 'noShowRate', group: 'rates', kind: 'rate' },
];

const palette = { blue: '#1f6fd6', green: '#12915b', orange: '#e8890c', grid: '#e6ebf2', axis: '#5b6b82', line: '#c9d4e4' };

const $ = id => document.getElementById(id);
const [hallId] = routeParameters();
const hallPath = `/api/halls/${encodeURIComponent(hallId)}`;
localizePage();
mountLangSwitch($('lang'));

const config = await hallConfig(hallId);
const { serviceDay: today } = await api(`${hallPath}/snapshot`);

// ── Days ──────────────────────────────────────────────────────────────────────────────────────────────
// Service days are plain dates (YYYY-MM-DD); arithmetic on them runs in UTC so no time zone shifts them.
function parseDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function addDays(day, n) {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/** Monday 0 … Sunday 6, as the peaks report counts. */
function weekdayOf(day) {
  return (parseDay(day).getUTCDay() + 6) % 7;
}

function daysBetween(from, to) {
  const days = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push(day);
  }
  return days;
}

const presets = {
  today: () => [today, today],
  week: () => [addDays(today, -weekdayOf(today)), today],
  month: () => [`${today.slice(0, 8)}01`, today],
  lastMonth: () => {
    const end = addDays(`${today.slice(0, 8)}01`, -1);
    return [`${end.slice(0, 8)}01`, end];
  },
  last30: () => [addDays(today, -29), today],
};

// ── What is asked: kept in the address ───────────────────────────────────────────────────────────────
const address = new URLSearchParams(location.search);
const query = {
  from: dayPattern.test(address.get('from') ?? '') ? address.get('from') : presets.month()[0],
  to: dayPattern.test(address.get('to') ?? '') ? address.get('to') : presets.month()[1],
  groupBy: groupings.includes(address.get('groupBy')) ? address.get('groupBy') : 'matter',
};
let ticketId = address.get('ticket');

function remember() {
  const next = new URLSearchParams(location.search);
  next.delete('lang');
  next.set('from', query.from);
  next.set('to', query.to);
  next.set('groupBy', query.groupBy);
  if (ticketId) {
    next.set('ticket', ticketId);
  } else {
    next.delete('ticket');
  }
  history.replaceState(null, '', `${location.pathname}?${next}`);
}

// ── Header and toolbar ────────────────────────────────────────────────────────────────────────────────
setText($('hall-name'), config.name);
showSimulationBadge($('hall-name'));

const fromInput = $('from');
const toInput = $('to');

function renderToolbar() {
  document.title = `${t('audit.pageTitle')} · ${config.name}`;
  fromInput.value = query.from;
  toInput.value = query.to;
  fill($('presets'), presetNames.map(name => {
    const [from, to] = presets[name]();
    return h('button', {
      type: 'button',
      dataset: { preset: name },
      'aria-pressed': String(from === query.from && to === query.to),
      onclick: () => ask({ from, to }),
    }, t(`audit.preset.${name}`));
  }));
  fill($('group-by'), groupings.map(groupBy => h('button', {
    type: 'button',
    role: 'radio',
    dataset: { group: groupBy },
    'aria-checked': String(groupBy === query.groupBy),
    onclick: () => ask({ groupBy }),
  }, t(`audit.group.${groupBy}`))));
  $('csv').href = `${hallPath}/reports/summary?from=${query.from}&to=${query.to}&groupBy=${query.groupBy}&format=csv`;
}

function ask(change) {
  Object.assign(query, change);
  remember();
  renderToolbar();
  load();
}

for (const input of [fromInput, toInput]) {
  input.addEventListener('change', () => {
    if (dayPattern.test(fromInput.value) && dayPattern.test(toInput.value)) {
      ask({ from: fromInput.value, to: toInput.value });
    }
  });
}

$('query').addEventListener('submit', event => {
  event.preventDefault();
  load();
});

// ── The report: one summary per grouping the page shows, the peaks and the spread, all for one range ─
let report = null;
let failure = null;
let loads = 0;

async function load() {
  const number = ++loads;
  const asked = { ...query };
  $('report').setAttribute('aria-busy', 'true');
  const range = `from=${asked.from}&to=${asked.to}`;
  const pending = new Map();
  const get = path => {
    if (!pending.has(path)) {
      pending.set(path, api(`${hallPath}/reports/${path}`, { quiet: true }));
    }
    return pending.get(path);
  };
  const summary = groupBy => get(`summary?${range}&groupBy=${groupBy}`);
  try {
    const [rows, hall, matters, days, peaks, spread, cases] = await Promise.all([
      summary(asked.groupBy), summary('hall'), summary('matter'), summary('day'), get(`peaks?${range}`), get(`distribution?${range}`),
      get(`cases?${range}`),
    ]);
    if (number !== loads) {
      return;
    }
    report = { asked, summary: rows, totals: hall.rows[0] ?? null, matters: matters.rows, days: days.rows, peaks, spread, cases };
    failure = null;
  } catch (error) {
    if (number !== loads) {
      return;
    }
    report = null;
    failure = error;
  }
  $('report').setAttribute('aria-busy', 'false');
  renderReport();
}

function renderReport() {
  const section = $('report');
  const message = $('report-message');
  if (failure) {
    section.dataset.state = 'error';
    message.hidden = false;
    fill(message, h('strong', {}, `${t('audit.failed')} · ${errorTitle(failure.status)}`), h('p', { class: 'detail' }, failure.detail ?? failure.message));
    setText($('as-of'), '');
    return;
  }
  if (!report) {
    section.dataset.state = 'loading';
    message.hidden = false;
    fill(message, h('strong', {}, t('audit.loading')));
    return;
  }
  setText($('as-of'), t('audit.asOf', { seq: count(report.summary.seq) }));
  if (!report.totals) {
    section.dataset.state = 'empty';
    message.hidden = false;
    fill(message,
      h('strong', {}, t('audit.empty', { from: report.asked.from, to: report.asked.to })),
      h('p', {}, t('audit.emptyHint')));
    return;
  }
  section.dataset.state = 'ready';
  message.hidden = true;
  renderKpis();
  renderTable();
  renderCases();
  renderCharts();
}

// ── Follow-ups of bad reviews (差评整改): the open ones, closed by a supervisor with a note ───────────────
let followUps = [];

async function loadFollowUps() {
  try {
    followUps = await api(`${hallPath}/followups?state=open`, { quiet: true });
  } catch {
    followUps = []; // an auditor's token reads them through the reports only
  }
  renderFollowUps();
}

function renderFollowUps() {
  $('followups-empty').hidden = followUps.length > 0;
  fill($('followups'), ...followUps.map(followUp => {
    const note = h('input', { type: 'text', maxlength: 500, required: true, placeholder: t('audit.followUpNote'), 'aria-label': t('audit.followUpNote') });
    const form = h('form', { class: 'followup-close' }, note, h('button', { class: 'btn small primary', type: 'submit' }, t('audit.followUpClose')));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      try {
        await api(`${hallPath}/followups/${encodeURIComponent(followUp.followUpId)}/close`, { method: 'POST', body: { note: note.value.trim() } });
        await loadFollowUps();
      } catch {
        // the toast says why
      }
    });
    return h('li', { class: 'followup', dataset: { followup: followUp.followUpId, overdue: String(followUp.overdue) } },
      h('div', { class: 'followup-head' },
        h('strong', { class: 'num' }, followUp.number),
        h('span', {}, `${matterName(followUp.matter)} · ${followUp.window ? windowTitle(config.windows.find(w => w.id === followUp.window)?.name ?? followUp.window) : ''}`),
        h('span', { class: 'followup-score' }, t('audit.followUpScore', { score: followUp.score })),
        h('span', { class: `followup-due ${followUp.overdue ? 'overtime' : ''}` }, t('audit.followUpDue', { due: deadline(followUp.due) }))),
      followUp.comment ? h('p', { class: 'followup-comment' }, followUp.comment) : null,
      form);
  }));
}

// ── Cases (办件时限监察) and follow-ups of bad reviews ───────────────────────────────────────────────────
const caseColumns = ['accepted', 'decided', 'decidedOnTime', 'onTimeRate', 'open', 'openOverdue', 'followUpsOpened', 'followUpsClosedOnTime', 'followUpsOverdue'];

function caseTable(table, rows, keyHeader) {
  fill(table.tHead, h('tr', {}, h('th', {}, keyHeader), ...caseColumns.map(c => h('th', { class: 'num-col' }, t(`audit.caseCol.${c}`)))));
  fill(table.tBodies[0], ...rows.map(row => h('tr', {},
    h('th', { scope: 'row' }, row.label ? `${row.label} · ${row.key}` : row.key),
    ...caseColumns.map(c => h('td', {
      class: `num ${(c === 'openOverdue' || c === 'followUpsOverdue') && row[c] > 0 ? 'overtime' : ''}`,
    }, c === 'onTimeRate' ? (row[c] === null || row[c] === undefined ? '—' : percent(row[c])) : count(row[c] ?? 0))))));
}

function renderCases() {
  const cases = report.cases;
  const range = `from=${report.asked.from}&to=${report.asked.to}`;
  $('cases-csv').href = `${hallPath}/reports/cases?${range}&format=csv`;
  $('overdue-csv').href = `${hallPath}/reports/cases/overdue?${range}&format=csv`;
  fill($('cases-levels'), ...(cases.openByLevel ?? []).map(level =>
    h('span', { class: 'case-level', dataset: { level: level.level } }, t('audit.caseLevel', { level: t(`case.level.${level.level}`), n: count(level.cases) }))));
  caseTable($('cases-matter'), cases.byMatter ?? [], t('audit.group.matter'));
  caseTable($('cases-window'), cases.byWindow ?? [], t('audit.group.window'));
  const overdue = cases.overdue ?? [];
  $('overdue-empty').hidden = overdue.length > 0;
  const local = iso => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—');
  fill($('overdue').tHead, overdue.length === 0 ? null : h('tr', {},
    ...['caseId', 'matter', 'window', 'state', 'acceptedAt', 'promisedDue', 'statutoryDue', 'level'].map(c => h('th', {}, t(`audit.overdueCol.${c}`)))));
  fill($('overdue').tBodies[0], ...overdue.map(c => h('tr', { dataset: { level: c.level } },
    h('td', { class: 'num' }, c.caseId),
    h('td', {}, c.matterName ?? c.matter),
    h('td', { class: 'num' }, c.window ?? '—'),
    h('td', {}, t(`case.state.${c.state}`)),
    h('td', { class: 'num' }, local(c.acceptedAt)),
    h('td', { class: 'num overtime' }, deadline(c.promisedDue)),
    h('td', { class: `num ${c.level === 'statutoryRed' ? 'overtime' : ''}` }, deadline(c.statutoryDue)),
    h('td', {}, t(`case.level.${c.level}`)))));
}

// ── KPIs of the whole range ───────────────────────────────────────────────────────────────────────────
function renderKpis() {
  const total = report.totals;
  const kpi = (key, value, sub) => h('div', { class: 'kpi', dataset: { kpi: key } },
    h('span', { class: 'kpi-label' }, t(`audit.kpi.${key}`)),
    h('span', { class: 'kpi-value num' }, value),
    h('span', { class: 'kpi-sub' }, sub));
  fill($('kpis'),
    kpi('issued', count(total.issued), t('audit.kpi.issuedSub', { cancelled: count(total.cancelled), expired: count(total.expired) })),
    kpi('completed', count(total.completed), t('audit.kpi.completedSub', { transferred: count(total.transferred) })),
    kpi('avgWait', duration(total.avgWaitSeconds), t('audit.kpi.p90', { value: duration(total.p90WaitSeconds) })),
    kpi('avgHandle', duration(total.avgHandleSeconds), t('audit.kpi.p90', { value: duration(total.p90HandleSeconds) })),
    kpi('serviceLevel', percent(total.serviceLevel), t('audit.kpi.serviceLevelSub', { n: count(total.waitOvertime) })),
    kpi('handleOvertime', count(total.handleOvertime), t('audit.kpi.handleOvertimeSub')),
    kpi('satisfaction', percent(total.satisfactionRate), t('audit.kpi.satisfactionSub', { n: count(total.rated) })),
    kpi('noShowRate', percent(total.noShowRate), t('audit.kpi.noShowRateSub', { n: count(total.noShow) })));
}

// ── The summary table ─────────────────────────────────────────────────────────────────────────────────
let sort = { field: 'key', descending: false };

function keyCell(row, groupBy) {
  if (row.key === '—') {
    return [h('span', { class: 'label muted' }, t('audit.notCalled'))];
  }
  switch (groupBy) {
    case 'hall':
      return [h('span', { class: 'label' }, row.label ?? row.key)];
    case 'window':
      return [h('span', { class: 'key num' }, String(windowNumber(row.key))), h('span', { class: 'label', title: row.label }, windowTitle(row.label ?? ''))];
    case 'matter':
      return [h('span', { class: 'key num' }, row.key), h('span', { class: 'label' }, row.label ?? '')];
    case 'hour': {
      const hour = Number(row.key);
      return [h('span', { class: 'label num' }, t('audit.hourRange', { from: hour, to: hour + 1 }))];
    }
    case 'day':
      return [h('span', { class: 'label num' }, row.key), h('span', { class: 'key' }, weekday(weekdayOf(row.key)))];
    default:
      return [h('span', { class: 'label' }, row.label ?? row.key)];
  }
}

/** How each kind of column shows a figure; a figure not there (nothing to average or rate) is a dash. */
const formats = { count, overtime: count, duration, rate: percent };

function cell(row, column) {
  const value = row[column.field];
  const text = value === null ? '—' : formats[column.kind](value);
  const td = h('td', { class: 'num', dataset: { field: column.field } }, text);
  if (column.kind === 'overtime' && value > 0) {
    td.dataset.level = 'overtime';
  }
  return td;
}

function sortedRows() {
  const rows = report.summary.rows.map((row, index) => ({ row, index }));
  const { field, descending } = sort;
  rows.sort((a, b) => {
    if (field === 'key') {
      return descending ? b.index - a.index : a.index - b.index;
    }
    const x = a.row[field];
    const y = b.row[field];
    if (x === null || y === null) {
      return x === y ? a.index - b.index : x === null ? 1 : -1;
    }
    return (descending ? y - x : x - y) || a.index - b.index;
  });
  return rows.map(r => r.row);
}

function sortButton(field, text, tip) {
  const active = sort.field === field;
  return h('th', {
    scope: 'col',
    dataset: { field },
    'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none',
    title: tip,
  }, h('button', {
    type: 'button',
    onclick: () => {
      sort = active ? { field, descending: !sort.descending } : { field, descending: field !== 'key' };
      renderTable();
    },
  }, text, h('i', { class: 'sort-mark', 'aria-hidden': 'true' })));
}

function renderTable() {
  const { groupBy } = report.asked;
  const table = $('summary');
  table.dataset.group = groupBy;
  const groups = [...Map.groupBy(columns, c => c.group)];
  const keyHeader = sortButton('key', t(`audit.group.${groupBy}`));
  keyHeader.rowSpan = 2;
  keyHeader.classList.add('key-col');
  fill(table.tHead,
    h('tr', { class: 'groups' }, keyHeader, groups.map(([group, list]) => h('th', { scope: 'colgroup', colspan: list.length, dataset: { group } }, t(`audit.colgroup.${group}`)))),
    h('tr', {}, columns.map(c => {
      const th = sortButton(c.field, t(`audit.col.${c.field}`), t(`audit.tip.${c.field}`));
      th.dataset.group = c.group;
      return th;
    })));

  fill(table.tBodies[0], sortedRows().map(row => h('tr', { dataset: { key: row.key } },
    h('th', { scope: 'row', class: 'key-col' }, keyCell(row, groupBy)),
    columns.map(c => cell(row, c)))));

  const totals = report.totals;
  fill(table.tFoot, groupBy === 'hall' ? null : h('tr', { dataset: { key: 'total' } },
    h('th', { scope: 'row', class: 'key-col' }, h('span', { class: 'label' }, t('audit.total'))),
    columns.map(c => cell(totals, c))));

  setText($('summary-note'), t('audit.summaryNote', {
    from: report.asked.from,
    to: report.asked.to,
    group: t(`audit.group.${groupBy}`),
    n: report.summary.rows.length,
  }));
}

// ── Charts ────────────────────────────────────────────────────────────────────────────────────────────
const charts = {
  peaks: echarts.init($('peaks-chart')),
  hot: echarts.init($('hot-chart')),
  spread: echarts.init($('spread-chart')),
  daily: echarts.init($('daily-chart')),
};

function textStyle() {
  return { color: palette.axis, fontSize: 13, fontFamily: getComputedStyle(document.body).fontFamily };
}

function axis(extra = {}) {
  return {
    axisLabel: textStyle(),
    axisLine: { lineStyle: { color: palette.line } },
    axisTick: { show: false },
    splitLine: { lineStyle: { color: palette.grid } },
    ...extra,
  };
}

function renderCharts() {
  for (const chart of Object.values(charts)) {
    chart.resize();
  }
  renderPeaks();
  renderHot();
  renderSpread();
  renderDaily();
}

function renderPeaks() {
  const issued = report.peaks.issued;
  const active = [...Array(24).keys()].filter(hour => issued.some(day => day[hour] > 0));
  const first = Math.min(8, ...active);
  const last = Math.max(18, ...active);
  const hours = [...Array(last - first + 1).keys()].map(i => first + i);
  const cells = [];
  let peak = null;
  issued.forEach((day, weekdayIndex) => hours.forEach((hour, x) => {
    cells.push([x, weekdayIndex, day[hour]]);
    if (day[hour] > (peak?.n ?? 0)) {
      peak = { weekdayIndex, hour, n: day[hour] };
    }
  }));
  setText($('peaks-note'), peak ? t('audit.peaksNote', { day: weekday(peak.weekdayIndex), from: peak.hour, to: peak.hour + 1, n: count(peak.n) }) : '');
  charts.peaks.setOption({
    animation: false,
    textStyle: textStyle(),
    tooltip: {
      renderMode: 'richText',
      formatter: p => t('audit.peaksTip', { day: weekday(p.value[1]), from: hours[p.value[0]], to: hours[p.value[0]] + 1, n: count(p.value[2]) }),
    },
    grid: { left: 48, right: 12, top: 4, bottom: 64 },
    xAxis: axis({ type: 'category', data: hours.map(hour => t('audit.chart.hour', { h: hour })), splitArea: { show: false } }),
    yAxis: axis({ type: 'category', inverse: true, data: [...Array(7).keys()].map(weekday) }),
    visualMap: {
      min: 0,
      max: Math.max(1, peak?.n ?? 0),
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 12,
      text: [t('audit.chart.more'), t('audit.chart.fewer')],
      textStyle: textStyle(),
      inRange: { color: ['#f1f5fb', '#a9c8f0', '#4d8fe0', '#1f6fd6', '#0c2a55'] },
    },
    series: [{
      type: 'heatmap',
      data: cells,
      itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 3 },
      label: { show: true, fontSize: 12, formatter: p => (p.value[2] > 0 ? p.value[2] : '') },
      emphasis: { itemStyle: { borderColor: palette.orange, borderWidth: 2 } },
    }],
  }, true);
}

function renderHot() {
  const top = report.matters
    .filter(row => row.issued > 0)
    .sort((a, b) => b.issued - a.issued || a.key.localeCompare(b.key))
    .slice(0, 10);
  charts.hot.setOption({
    animation: false,
    textStyle: textStyle(),
    tooltip: { renderMode: 'richText', trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 4, bottom: 8, containLabel: true },
    xAxis: axis({ type: 'value', minInterval: 1, axisLabel: { show: false } }),
    yAxis: axis({ type: 'category', inverse: true, data: top.map(row => row.label ?? row.key) }),
    series: [{
      name: t('audit.chart.issued'),
      type: 'bar',
      barMaxWidth: 22,
      data: top.map((row, index) => ({ value: row.issued, itemStyle: { color: index < 3 ? palette.orange : palette.blue, borderRadius: [0, 4, 4, 0] } })),
      label: { show: true, position: 'right', color: '#13233d', fontWeight: 700 },
    }],
  }, true);
}

function bucketLabel(bounds, index) {
  if (index === 0) {
    return t('audit.chart.bucketFirst', { n: bounds[0] });
  }
  return index === bounds.length
    ? t('audit.chart.bucketLast', { n: bounds[index - 1] })
    : t('audit.chart.bucket', { from: bounds[index - 1], to: bounds[index] });
}

function renderSpread() {
  const { bucketMinutes, wait, handle } = report.spread;
  const bar = (name, data, color) => ({ name, type: 'bar', data, barMaxWidth: 26, itemStyle: { color, borderRadius: [3, 3, 0, 0] } });
  charts.spread.setOption({
    animation: false,
    textStyle: textStyle(),
    tooltip: { renderMode: 'richText', trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, right: 0, textStyle: textStyle() },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: axis({ type: 'category', data: wait.map((_, i) => bucketLabel(bucketMinutes, i)) }),
    yAxis: axis({ type: 'value', minInterval: 1 }),
    series: [bar(t('audit.chart.wait'), wait, palette.blue), bar(t('audit.chart.handle'), handle, palette.green)],
  }, true);
}

function renderDaily() {
  const byDay = new Map(report.days.map(row => [row.key, row]));
  const days = daysBetween(report.asked.from, report.asked.to);
  const rate = value => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);
  const line = (name, field, color) => ({
    name,
    type: 'line',
    data: days.map(day => rate(byDay.get(day)?.[field])),
    showSymbol: days.length <= 62,
    symbolSize: 7,
    lineStyle: { color, width: 2.5 },
    itemStyle: { color },
  });
  charts.daily.setOption({
    animation: false,
    textStyle: textStyle(),
    tooltip: {
      renderMode: 'richText',
      trigger: 'axis',
      formatter: points => {
        const day = days[points[0].dataIndex];
        const row = byDay.get(day);
        const lines = points.map(p => `${p.marker}${p.seriesName} ${typeof p.value === 'number' ? `${p.value}%` : '—'}`);
        return [`${day} ${weekday(weekdayOf(day))} · ${t('audit.chart.issuedCount', { n: count(row?.issued ?? 0) })}`, ...lines].join('\n');
      },
    },
    legend: { top: 0, right: 0, textStyle: textStyle() },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: axis({ type: 'category', boundaryGap: days.length === 1, data: days.map(day => day.slice(5)) }),
    yAxis: axis({ type: 'value', min: 0, max: 100, axisLabel: { ...textStyle(), formatter: '{value}%' } }),
    series: [line(t('audit.chart.serviceLevel'), 'serviceLevel', palette.blue), line(t('audit.chart.satisfaction'), 'satisfactionRate', palette.orange)],
  }, true);
}

// ── Journal verification ──────────────────────────────────────────────────────────────────────────────
let verification = { state: 'checking' };

async function verify() {
  const button = $('verify');
  button.disabled = true;
  verification = { state: 'checking' };
  renderVerification();
  try {
    const result = await api(`${hallPath}/journal/verify`, { quiet: true });
    let stored = null;
    if (!result.ok && result.firstBadSeq) {
      const page = await api(`${hallPath}/journal?fromSeq=${result.firstBadSeq}&limit=1`, { quiet: true });
      stored = page.events.find(event => event.seq === result.firstBadSeq) ?? null;
    }
    verification = { state: result.ok ? 'ok' : 'tampered', result, stored, at: new Date() };
  } catch (error) {
    verification = { state: 'error', error };
  }
  button.disabled = false;
  renderVerification();
  renderTicket();
  renderStaffing();
}

function fact(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function renderVerification() {
  const box = $('verification');
  box.dataset.state = verification.state;
  const { result, stored, error } = verification;
  switch (verification.state) {
    case 'checking':
      fill(box, h('p', { class: 'verdict' }, t('audit.verifyChecking')));
      return;
    case 'error':
      fill(box, h('p', { class: 'verdict' }, `${t('audit.failed')} · ${errorTitle(error.status)}`), h('p', { class: 'detail' }, error.detail ?? error.message));
      return;
    case 'ok':
      fill(box,
        h('p', { class: 'verdict' }, h('i', { class: 'mark', 'aria-hidden': 'true' }), result.events > 0 ? t('audit.verifyOk') : t('audit.verifyEmpty')),
        h('dl', { class: 'facts' },
          fact(t('audit.verifyChecked'), h('span', { class: 'num', id: 'verified-events' }, count(result.events))),
          result.lastHash ? fact(t('audit.verifyLastHash'), h('code', { class: 'hash' }, `#${result.lastSeq} ${result.lastHash}`)) : null,
          fact(t('audit.verifyAt'), h('span', { class: 'num' }, dateTime(verification.at, config.timeZone)))));
      return;
    default:
      fill(box,
        h('p', { class: 'verdict' }, h('i', { class: 'mark', 'aria-hidden': 'true' }), t('audit.verifyBad', { seq: result.firstBadSeq })),
        h('dl', { class: 'facts' },
          fact(t('audit.verifyFirstBad'), h('span', { class: 'num', id: 'first-bad' }, String(result.firstBadSeq))),
          fact(t('audit.verifyProblem'), h('span', { class: 'problem', lang: 'en' }, result.problem ?? '')),
          fact(t('audit.verifyChecked'), h('span', { class: 'num' }, count(result.events))),
          fact(t('audit.verifyAt'), h('span', { class: 'num' }, dateTime(verification.at, config.timeZone)))),
        stored
          ? h('div', { class: 'stored' },
            h('p', {}, t('audit.badEvent', { seq: stored.seq })),
            h('pre', { class: 'hash' }, JSON.stringify({ at: stored.at, type: stored.type, actor: stored.actor, data: stored.data, hash: stored.hash, prevHash: stored.prevHash }, null, 2)))
          : h('p', { class: 'stored' }, t('audit.badEventMissing', { seq: result.firstBadSeq })));
  }
}

$('verify').addEventListener('click', verify);

// ── Ticket look-up ────────────────────────────────────────────────────────────────────────────────────
let ticket = { state: 'none' };
const ticketInput = $('ticket-id');

/** A full ticket id, or just a number (A023), which means today's. */
function ticketIdFrom(text) {
  const value = text.trim().toUpperCase();
  return /^[A-Z]+\d+$/.test(value) ? `${today.replaceAll('-', '')}-${value}` : value;
}

async function lookUp(id) {
  ticketId = id;
  ticketInput.value = id;
  remember();
  ticket = { state: 'loading' };
  renderTicket();
  try {
    const found = await api(`${hallPath}/tickets/${encodeURIComponent(id)}`, { quiet: true });
    if (ticketId === id) {
      ticket = { state: 'found', view: found };
    }
  } catch (error) {
    if (ticketId === id) {
      ticket = { state: 'error', error };
    }
  }
  renderTicket();
}

$('ticket-form').addEventListener('submit', event => {
  event.preventDefault();
  const id = ticketIdFrom(ticketInput.value);
  if (id) {
    lookUp(id);
  }
});

function ticketLink(id) {
  return h('button', { type: 'button', class: 'link num', onclick: () => lookUp(id) }, id);
}

function when(value) {
  return value ? h('span', { class: 'num' }, dateTime(new Date(value), config.timeZone)) : '—';
}

function matterName(code) {
  return config.matters.find(m => m.code === code)?.name ?? code;
}

/** What one history event says, in a line. */
function eventDetail(entry) {
  const d = entry.data;
  const at = d.window ? t('audit.piece.window', { n: windowNumber(d.window) }) : null;
  const pieces = {
    ticketIssued: () => [t(`channel.${d.channel}`), d.priority && t('ticket.priority'), d.transferredFrom && t('audit.piece.from', { id: d.transferredFrom })],
    ticketCalled: () => [at, d.clerk, t('audit.piece.wait', { d: duration(d.waitSeconds) })],
    ticketRecalled: () => [at, t('audit.piece.recall', { n: d.recalls })],
    serviceStarted: () => [at, d.clerk],
    serviceCompleted: () => [at, t('audit.piece.handle', { d: duration(d.handleSeconds) })],
    ticketNoShow: () => [at],
    ticketCancelled: () => [],
    ticketTransferred: () => [at, t('audit.piece.to', { matter: matterName(d.toMatter), id: d.newTicketId }), t('audit.piece.handle', { d: duration(d.handleSeconds) })],
    ticketExpired: () => [t('audit.piece.expired', { state: t(`ticketState.${d.fromState}`) })],
    ticketRated: () => [t('audit.piece.score', { score: d.score, label: t(`rating.${d.score}`) }), d.comment && `“${d.comment}”`],
  };
  const alert = d.alert && [
    t('audit.piece.alert', { kind: t(`alert.${d.alert.kind}`), level: t(`alert.level.${d.alert.level}`) }),
    d.alert.kind === 'queueBacklog'
      ? t('audit.piece.backlog', { value: d.alert.value, target: d.alert.target })
      : t('audit.piece.overtime', { value: duration(d.alert.value), target: duration(d.alert.target) }),
    entry.type === 'alertAcknowledged' && d.alert.acknowledgedBy,
  ];
  return (pieces[entry.type]?.() ?? alert ?? []).filter(Boolean).join(' · ');
}

function actorName(actor) {
  const key = `actor.${actor}`;
  return t(key) === key ? actor : t(key);
}

function renderTicket() {
  const box = $('ticket');
  box.dataset.state = ticket.state;
  switch (ticket.state) {
    case 'none':
      fill(box, h('p', { class: 'hint' }, t('audit.ticketHint')));
      return;
    case 'loading':
      fill(box, h('p', { class: 'hint' }, t('audit.ticketLoading')));
      return;
    case 'error':
      fill(box, h('p', { class: 'detail' }, h('strong', {}, errorTitle(ticket.error.status)), ticket.error.detail ?? ticket.error.message));
      return;
    default:
      break;
  }
  const view = ticket.view;
  const firstBad = verification.state === 'tampered' ? verification.result.firstBadSeq : null;
  const rating = view.rating ? t('audit.piece.score', { score: view.rating.score, label: t(`rating.${view.rating.score}`) }) : '—';
  fill(box,
    h('div', { class: 'ticket-head' },
      h('span', { class: 'ticket-number num' }, view.number),
      h('span', { class: 'ticket-state', dataset: { state: view.state } }, t(`ticketState.${view.state}`)),
      view.priority && h('span', { class: 'tag priority' }, t('ticket.priority')),
      h('span', { class: 'ticket-matter' }, view.matterName ?? view.matter, h('small', { class: 'num' }, view.matter)),
      h('span', { class: 'ticket-id num' }, view.ticketId)),
    h('dl', { class: 'ticket-facts' },
      fact(t('audit.field.wait'), h('strong', { class: 'num', id: 'ticket-wait' }, duration(view.waitSeconds))),
      fact(t('audit.field.handle'), h('strong', { class: 'num' }, duration(view.handleSeconds))),
      fact(t('audit.field.window'), view.window ? `${t('audit.piece.window', { n: windowNumber(view.window) })}` : '—'),
      fact(t('audit.field.clerk'), view.clerk ?? '—'),
      fact(t('audit.field.channel'), t(`channel.${view.channel}`)),
      fact(t('audit.field.recalls'), h('span', { class: 'num' }, String(view.recalls))),
      fact(t('audit.field.issuedAt'), when(view.issuedAt)),
      fact(t('audit.field.calledAt'), when(view.calledAt)),
      fact(t('audit.field.startedAt'), when(view.startedAt)),
      fact(t('audit.field.finishedAt'), when(view.finishedAt)),
      fact(t('audit.field.rating'), rating),
      view.transferredFrom ? fact(t('audit.field.transferredFrom'), ticketLink(view.transferredFrom)) : null,
      view.transferredTo ? fact(t('audit.field.transferredTo'), ticketLink(view.transferredTo)) : null),
    h('h3', {}, t('audit.history', { n: view.history.length })),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'history', id: 'history' },
        h('thead', {}, h('tr', {}, ['seq', 'time', 'type', 'actor', 'detail', 'hash'].map(name => h('th', { scope: 'col', dataset: { field: name } }, t(`audit.historyCol.${name}`))))),
        h('tbody', {}, view.history.map(entry => h('tr', { dataset: { seq: entry.seq, type: entry.type }, class: entry.seq === firstBad ? 'broken' : null },
          h('td', { class: 'num' }, String(entry.seq)),
          h('td', { class: 'num' }, dateTime(new Date(entry.at), config.timeZone)),
          h('td', { class: 'type' }, t(`event.${entry.type}`)),
          h('td', {}, actorName(entry.actor)),
          h('td', { class: 'detail' }, eventDetail(entry), entry.seq === firstBad ? h('span', { class: 'broken-tag' }, t('audit.brokenHere')) : null),
          h('td', {}, h('code', { class: 'hash' }, entry.hash))))))));
}

// ── Staffing advice (人员建议): per sector and matter, windows needed in the coming hours ─────────────────
// Independent of the range asked: it is about the hours ahead. Read again every minute; hidden for a token
// without the permission.
const staffingChoices = [4, 8, 12];
let staffingHours = 4;
let staffing = null;

async function loadStaffing() {
  try {
    staffing = await staffingForecast(hallId, staffingHours);
  } catch {
    staffing = null;
  }
  renderStaffing();
}

function staffingCells(rows, open) {
  return rows.map(row => h('td', {
    class: 'num staffing-need',
    dataset: { level: needLevel(row, open) },
    title: `${t('audit.staffingArrivals', { n: row.arrivalsPerHour })} · ${t('audit.staffingHandle', { d: duration(row.handleSeconds) })} · ${basisText(row)}`,
  }, row.windowsNeeded === null ? '—' : String(row.windowsNeeded), h('small', {}, t('audit.staffingPerHour', { n: row.arrivalsPerHour }))));
}

function renderStaffing() {
  $('staffing-panel').hidden = staffing === null;
  fill($('staffing-hours'), ...staffingChoices.map(n => {
    const button = h('button', { type: 'button', role: 'radio', 'aria-checked': String(n === staffingHours) }, t('audit.staffingHours', { n }));
    button.addEventListener('click', () => {
      staffingHours = n;
      loadStaffing();
    });
    return button;
  }));
  if (staffing === null) {
    return;
  }
  const hours = staffing.sectors[0]?.staffing ?? [];
  setText($('staffing-note'), t('audit.staffingNote', {
    at: dateTime(new Date(staffing.at), config.timeZone),
    basis: hours.length > 0 ? basisText(hours[0]) : '',
  }));
  const hourHeads = hours.map(row => h('th', { class: 'num-col' }, hourLabel(row.from, config.timeZone)));
  const sectors = $('staffing-sectors');
  fill(sectors.tHead, h('tr', {},
    h('th', {}, t('audit.staffingSector')),
    h('th', { class: 'num-col' }, t('audit.staffingWaiting')),
    h('th', { class: 'num-col' }, t('audit.staffingTarget')),
    h('th', { class: 'num-col' }, t('audit.staffingOpen')),
    ...hourHeads));
  const pooled = { ...staffing.pooled, sector: t('audit.staffingPooled') };
  fill(sectors.tBodies[0], ...[pooled, ...staffing.sectors].map(sector => h('tr', { dataset: sector === pooled ? { pooled: '' } : { sector: sector.sector } },
    h('th', { scope: 'row' }, sector.sector, h('small', {}, sector === pooled ? t('audit.staffingPooledNote', { n: sector.matters.length }) : sector.matters.map(matterName).join('、'))),
    h('td', { class: 'num' }, count(sector.waiting)),
    h('td', { class: 'num' }, duration(sector.waitTargetSeconds)),
    h('td', { class: 'num' }, count(sector.windowsOpen)),
    ...staffingCells(sector.staffing, sector.windowsOpen))));

  const matters = $('staffing-matters');
  fill(matters.tHead, h('tr', {},
    h('th', {}, t('audit.staffingMatter')),
    h('th', { class: 'num-col' }, t('audit.staffingWaiting')),
    h('th', { class: 'num-col' }, t('audit.staffingServing')),
    h('th', { class: 'num-col' }, t('audit.staffingLastCall')),
    h('th', { class: 'num-col' }, t('audit.staffingPastTarget')),
    h('th', { class: 'num-col' }, t('audit.staffingTarget')),
    h('th', { class: 'num-col' }, t('audit.staffingHandleCol')),
    ...hours.map(row => h('th', { class: 'num-col' }, hourLabel(row.from, config.timeZone)))));
  fill(matters.tBodies[0], ...staffing.matters.map(matter => h('tr', { dataset: { matter: matter.matter } },
    h('th', { scope: 'row' }, `${matter.name} · ${matter.matter}`, h('small', {}, matter.sector)),
    h('td', { class: 'num' }, count(matter.waiting)),
    h('td', { class: 'num' }, count(matter.servingWindows)),
    h('td', { class: 'num' }, matter.lastCallAt ? time(new Date(matter.lastCallAt), config.timeZone) : '—'),
    h('td', { class: `num ${matter.pastTarget > 0 ? 'overtime' : ''}` }, count(matter.pastTarget)),
    h('td', { class: 'num' }, duration(matter.waitTargetSeconds)),
    h('td', { class: 'num', title: t(`audit.staffingHandleBasis.${matter.handleBasis}`) }, duration(matter.handleSeconds), h('small', {}, t(`audit.staffingHandleBasis.${matter.handleBasis}`))),
    ...staffingCells(matter.staffing, null))));
}

// ── Putting it together ───────────────────────────────────────────────────────────────────────────────
function renderAll() {
  renderToolbar();
  renderFollowUps();
  renderReport();
  renderVerification();
  renderTicket();
}

remember();
renderAll();
load();
verify();
loadFollowUps();
loadStaffing();
setInterval(loadStaffing, 60_000);
if (ticketId) {
  lookUp(ticketId);
}

onLangChange(renderAll);
window.addEventListener('resize', () => {
  for (const chart of Object.values(charts)) {
    chart.resize();
  }
});

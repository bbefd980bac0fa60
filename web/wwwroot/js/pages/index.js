// The start page: every hall, with a link to each of its pages and one clerk console per window.
import { api } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { windowNumber, windowTitle } from '../format.js';
import { h, localizePage, mountLangSwitch } from '../ui.js';

localizePage();
mountLangSwitch(document.getElementById('lang'));

const halls = await api('/api/halls');
const configs = await Promise.all(halls.map(hall => api(`/api/halls/${encodeURIComponent(hall.id)}`)));

// Line icons drawn here (the pages carry no image files): a screen, a loudspeaker, a ticket, a chart.
// Built with DOM calls from this table, as every page builds its elements: no markup is ever parsed.
const icons = {
  wall: [['rect', { x: 3, y: 4, width: 26, height: 17, rx: 2 }], ['path', { d: 'M11 27h10M16 21v6M8 16l5-5 4 3 6-6' }]],
  calling: [['path', { d: 'M5 12v8h5l8 6V6l-8 6z' }], ['path', { d: 'M22 11a6 6 0 0 1 0 10M25 7a11 11 0 0 1 0 18' }]],
  kiosk: [
    ['path', { d: 'M5 8h22v5a3 3 0 0 0 0 6v5H5v-5a3 3 0 0 0 0-6z' }],
    ['path', { d: 'M12 8v16', 'stroke-dasharray': '2 2' }],
    ['path', { d: 'M16 13h7M16 18h5' }],
  ],
  audit: [['path', { d: 'M4 27h24M8 23v-7M14 23V9M20 23v-10M26 23V5' }]],
  progress: [['circle', { cx: 14, cy: 14, r: 8 }], ['path', { d: 'M20 20l7 7M10 14l3 3 5-6' }]],
};

function svg(tag, attributes) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

function icon(name) {
  const drawing = svg('svg', { viewBox: '0 0 32 32', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' });
  drawing.append(...icons[name].map(([tag, attributes]) => svg(tag, attributes)));
  return h('span', { class: 'icon', 'aria-hidden': 'true' }, drawing);
}

const pages = [
  { key: 'wall', path: id => `/wall/${id}` },
  { key: 'calling', path: id => `/calling/${id}` },
  { key: 'kiosk', path: id => `/kiosk/${id}` },
  { key: 'audit', path: id => `/audit/${id}` },
  { key: 'progress', path: id => `/progress/${id}` },
];

function hallCard(config) {
  const id = encodeURIComponent(config.id);
  const categories = new Set(config.matters.map(m => m.category)).size;
  return h('section', { class: 'hall', dataset: { hall: config.id } },
    h('header', {},
      h('h2', {}, config.name),
      h('p', { class: 'facts' }, t('index.facts', { id: config.id, matters: config.matters.length, categories, windows: config.windows.length }))),
    h('nav', { class: 'page-links' }, ...pages.map(page => h('a', { class: 'page-link', href: page.path(id), dataset: { page: page.key } },
      icon(page.key),
      h('strong', {}, t(`index.page.${page.key}`)),
      h('small', {}, t(`index.pageNote.${page.key}`))))),
    h('h3', {}, t('index.clerks')),
    h('nav', { class: 'window-links' }, ...config.windows.map(window => h('a', {
      class: 'window-link',
      href: `/clerk/${id}/${encodeURIComponent(window.id)}`,
      dataset: { kind: window.kind },
      title: window.name,
    }, h('span', { class: 'num' }, String(windowNumber(window.id))), windowTitle(window.name)))));
}

function render() {
  document.getElementById('halls').replaceChildren(...configs.map(hallCard));
}

render();
onLangChange(render);

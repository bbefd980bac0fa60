// Small DOM helpers every page uses: building elements, toasts, the connection banner, the language switch.
import { applyI18n, lang, onLangChange, setLang, t } from './i18n.js';

/**
 * Creates an element: h('div', { class: 'tile', dataset: { state } }, child, 'text', …).
 * Attributes starting with "on" become listeners; `style` is an object of properties, set through the CSSOM
 * (the Content-Security-Policy refuses style attributes); null and false children are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name === 'style') {
      for (const [property, setting] of Object.entries(value)) {
        element.style.setProperty(property, setting);
      }
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, value);
    }
  }
  element.append(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
  return element;
}

/** Replaces an element's children, skipping null, undefined and false as h() does. */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
}

/** Sets an element's text only when it changes, so that selection and animations are left alone. */
export function setText(element, text) {
  const value = String(text ?? '');
  if (element.textContent !== value) {
    element.textContent = value;
  }
}

/**
 * A sentence of the dictionary as nodes, each placeholder made an element by `wrap(name, value)`, so that
 * "请 {number} 号" can show the number large whatever the language puts around it.
 */
export function parts(key, values, wrap) {
  return t(key).split(/(\{\w+\})/).filter(Boolean).map(piece => {
    const name = piece.match(/^\{(\w+)\}$/)?.[1];
    return name && name in values ? wrap(name, String(values[name])) : piece;
  });
}

let toastHost = null;

/** Shows a message for a few seconds: kind 'error' (red), 'ok' (green) or 'info'. */
export function toast(message, { kind = 'info', title = null, seconds = kind === 'error' ? 8 : 4 } = {}) {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const item = h('div', { class: `toast ${kind}` }, title ? h('strong', {}, title) : null, message);
  toastHost.append(item);
  setTimeout(() => item.remove(), seconds * 1000);
  return item;
}

/**
 * The connection state of a live page: a banner at the top while it is not live ("正在重新连接…"), and
 * body[data-live] for styles. Returns the onStatus callback for connectHall.
 */
export function connectionStatus() {
  const banner = h('div', { class: 'connection-banner', role: 'alert', hidden: true });
  document.body.append(banner);
  let current = 'connecting';

  let detail = '';

  function render() {
    document.body.dataset.live = current;
    banner.hidden = current === 'live';
    banner.dataset.status = current;
    banner.textContent = current === 'refused'
      ? t('live.refused', { detail })
      : t(current === 'connecting' ? 'live.connecting' : 'live.reconnecting');
  }

  onLangChange(render);
  render();
  return (status, why = '') => {
    current = status;
    detail = why;
    render();
  };
}

/** Makes a button switch between 中文 and English; the choice is kept in localStorage. */
export function mountLangSwitch(button) {
  button.classList.add('lang-switch');
  const render = () => {
    button.textContent = lang() === 'en' ? '中文' : 'English';
    button.setAttribute('lang', lang() === 'en' ? 'zh-CN' : 'en');
  };
  button.addEventListener('click', () => setLang(lang() === 'en' ? 'zh-CN' : 'en'));
  onLangChange(render);
  render();
}

/** Translates the static text of the page and keeps it translated. */
export function localizePage() {
  applyI18n(document);
  onLangChange(() => applyI18n(document));
}

/** The path segments after the page name: /clerk/xinqu/05 → ['xinqu', '05']. */
export function routeParameters() {
  return location.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
}

/**
 * While the server simulates a service day (`HallMonitor:Simulate`), marks the page "模拟 ×60 / Simulated ×60" next to
 * `anchor`, so that nobody takes the figures for a real hall's.
 */
export async function showSimulationBadge(anchor) {
  let status;
  try {
    const response = await fetch('/api/simulation', { headers: { accept: 'application/json' } });
    status = response.ok ? await response.json() : null;
  } catch {
    return;
  }
  if (status?.speed && !document.querySelector('.sim-badge')) {
    anchor.after(h('span', { class: 'sim-badge', title: 'HallMonitor:Simulate' }, `模拟 ×${status.speed} / Simulated ×${status.speed}`));
  }
}

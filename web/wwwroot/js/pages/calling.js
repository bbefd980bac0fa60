// The public calling screen (叫号屏): the latest call in very large type, the calls before it, and on every
// call — and again on every recall — a chime and the sentence spoken ("请 A023 号到 5 号窗口办理").
import { hallConfig } from '../api.js';
import { lang, onLangChange, t } from '../i18n.js';
import { clock, time, windowNumber } from '../format.js';
import { connectHall } from '../live.js';
import { HallModel } from '../model.js';
import { chime, enableSound, soundAllowed } from '../sound.js';
import { connectionStatus, fill, h, localizePage, mountLangSwitch, parts, routeParameters, setText, showSimulationBadge } from '../ui.js';

const kept = 12;
const chineseDigits = '零一二三四五六七八九';

const [hallId] = routeParameters();
localizePage();
mountLangSwitch(document.getElementById('lang'));
const onStatus = connectionStatus();
const $ = id => document.getElementById(id);

const config = await hallConfig(hallId);
const model = new HallModel(config);

/** The latest calls first: { ticketId, number, matter, window, at, recalls }. */
let calls = [];

// ── Sound ─────────────────────────────────────────────────────────────────────────────────────────────
const soundButton = $('sound');
let soundOn = soundAllowed();
soundButton.hidden = soundOn;
soundButton.addEventListener('click', async () => {
  soundOn = await enableSound();
  soundButton.hidden = soundOn;
  if (soundOn) {
    chime();
  }
});

let voices = [];
function loadVoices() {
  voices = window.speechSynthesis?.getVoices() ?? [];
}
loadVoices();
window.speechSynthesis?.addEventListener('voiceschanged', loadVoices);

function voiceFor(language) {
  const base = language.slice(0, 2);
  return voices.find(v => v.lang.replace('_', '-') === language) ?? voices.find(v => v.lang.startsWith(base)) ?? null;
}

/** What is said: digits one by one, as halls announce them ("A零二三"). */
function sentence(call) {
  const window = windowNumber(call.window);
  if (lang() === 'en') {
    return t('calling.speech', { number: call.number.split('').join(' '), window });
  }
  const spoken = call.number.replace(/\d/g, digit => chineseDigits[Number(digit)]);
  return t('calling.speech', { number: spoken, window });
}

function speak(text) {
  return new Promise(resolve => {
    if (!window.speechSynthesis) {
      resolve();
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang() === 'en' ? 'en-US' : 'zh-CN';
    utterance.voice = voiceFor(utterance.lang);
    utterance.rate = 0.9;
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 12000); // a voice that never reports its end must not stop the queue
    utterance.addEventListener('end', done);
    utterance.addEventListener('error', done);
    window.speechSynthesis.speak(utterance);
  });
}

/** Announcements one after another, so two calls in the same second are both heard in full. */
let announcing = Promise.resolve();
function announce(call) {
  if (!soundOn) {
    return;
  }
  announcing = announcing.then(async () => {
    const ms = chime();
    await new Promise(resolve => setTimeout(resolve, ms));
    await speak(sentence(call));
  });
}

// ── Rendering ─────────────────────────────────────────────────────────────────────────────────────────
const highlight = (name, value) => h('span', { class: `call-${name} num` }, value);

function renderCurrent() {
  const current = calls[0];
  const box = $('current-call');
  if (!current) {
    box.replaceChildren(h('div', { class: 'call-idle' }, t('calling.idle')));
    setText($('current-matter'), '');
    return;
  }
  const values = { number: current.number, window: windowNumber(current.window) };
  const lines = [
    h('div', { class: 'call-line first' }, parts('calling.line1', values, highlight)),
    h('div', { class: 'call-line second' }, parts('calling.line2', values, highlight)),
  ];
  box.replaceChildren(...lines);
  shrinkToFit(lines, $('current').clientWidth * 0.94);
  fill($('current-matter'),
    model.matters.get(current.matter)?.name ?? '',
    current.recalls > 0 && h('span', { class: 'recalled' }, t('calling.recalled', { n: current.recalls + 1 })));
}

/** Makes a line of the call smaller when a language or a long number would run past the panel. */
function shrinkToFit(lines, width) {
  for (const line of lines) {
    if (line.scrollWidth > width) {
      line.style.fontSize = `${(Number.parseFloat(getComputedStyle(line).fontSize) * width) / line.scrollWidth}px`;
    }
  }
}

function renderRecent() {
  const list = $('recent');
  if (calls.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, t('calling.noCalls')));
    return;
  }
  list.replaceChildren(...calls.map(call => h('li', { class: 'recent-item' },
    h('span', { class: 'recent-number num' }, call.number),
    h('span', { class: 'recent-window' }, t('calling.windowLabel', { n: windowNumber(call.window) })),
    h('span', { class: 'recent-time num' }, time(new Date(call.at), model.timeZone)))));
  for (const item of list.children) {
    item.hidden = item.offsetTop - list.offsetTop + item.offsetHeight > list.clientHeight + 1;
  }
}

function render() {
  setText($('hall-name'), config.name);
  showSimulationBadge($('hall-name'));
  document.title = `${config.name} · ${t('calling.pageTitle')}`;
  renderCurrent();
  renderRecent();
  setText($('waiting'), t('calling.waiting', { n: model.kpis.waiting }));
}

function flash() {
  const current = $('current');
  current.classList.remove('fresh');
  void current.offsetWidth; // restart the animation for a call that follows closely
  current.classList.add('fresh');
}

/** Puts a call at the top of the list (a recall moves it back up). */
function push(call) {
  calls = [call, ...calls.filter(c => c.ticketId !== call.ticketId)].slice(0, kept);
}

connectHall({
  hall: hallId,
  onSnapshot: snapshot => {
    model.reset(snapshot);
    // The calls still at a window; those heard before a reconnect stay in the list.
    const atWindows = [...model.windows.values()]
      .filter(w => w.ticket)
      .map(w => ({ ticketId: w.ticket.ticketId, number: w.ticket.number, matter: w.ticket.matter, window: w.windowId, at: w.ticket.calledAt, recalls: w.ticket.recalls }));
    const known = new Set(calls.map(c => c.ticketId));
    calls = [...calls, ...atWindows.filter(c => !known.has(c.ticketId))].sort((a, b) => b.at - a.at).slice(0, kept);
    render();
  },
  onEvent: event => {
    const stale = model.apply(event);
    const { type, data } = event;
    if (type === 'ticketCalled' || type === 'ticketRecalled') {
      const call = {
        ticketId: data.ticketId,
        number: data.number,
        matter: data.matter,
        window: data.window,
        at: Date.parse(event.at),
        recalls: type === 'ticketRecalled' ? data.recalls : 0,
      };
      push(call);
      render();
      flash();
      announce(call);
    } else if (type === 'ticketIssued' || type === 'ticketCancelled' || type === 'ticketExpired') {
      setText($('waiting'), t('calling.waiting', { n: model.kpis.waiting }));
    }
    return stale;
  },
  onStatus,
});

setInterval(() => setText($('clock'), clock(new Date(model.now()), model.timeZone)), 1000);
setText($('clock'), clock(new Date(model.now()), model.timeZone));
onLangChange(render);
window.addEventListener('resize', render);

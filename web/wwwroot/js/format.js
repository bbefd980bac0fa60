// Formatting shared by every page: durations, times in the hall's time zone, rates, window numbers.
import { lang, t } from './i18n.js';

/** A duration in seconds as m:ss, or h:mm:ss from an hour on; a dash when there is none (no one called yet). */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A wait estimate for visitors: whole minutes, rounded up ("约 12 分钟"). */
export function minutes(seconds) {
  return t('format.minutes', { n: Math.max(1, Math.ceil(seconds / 60)) });
}

function timeFormat(timeZone, withSeconds) {
  return new Intl.DateTimeFormat(lang(), {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  });
}

/** Local time of day in the hall's time zone: 14:05:09. */
export function clock(date, timeZone) {
  return timeFormat(timeZone, true).format(date);
}

/** Local time of day without seconds: 14:05. */
export function time(date, timeZone) {
  return timeFormat(timeZone, false).format(date);
}

/** The day as a heading: 2026年11月22日 星期日 / Sunday, 22 November 2026. */
export function longDate(date, timeZone) {
  return new Intl.DateTimeFormat(lang(), { timeZone, dateStyle: 'full' }).format(date);
}

/** A rate from 0 to 1 as a percentage; a dash before there is anything to rate. */
export function percent(rate) {
  if (rate === null || rate === undefined) {
    return '—';
  }
  const value = rate * 100;
  return `${value === 100 || value === 0 ? value : value.toFixed(1)}%`;
}

/** The number people see on a window: "05" → 5. */
export function windowNumber(windowId) {
  const n = Number.parseInt(windowId, 10);
  return Number.isNaN(n) ? windowId : n;
}

/** A window's name without its number, which pages show on its own: "5号窗口 企业开办" → "企业开办". */
export function windowTitle(name) {
  return name.replace(/^\s*\d+\s*号窗口\s*/, '') || name;
}

/** Green within the warn ratio of a target, yellow from it, red over the target. */
export function level(seconds, targetSeconds, warnRatio) {
  if (!targetSeconds) {
    return 'ok';
  }
  if (seconds >= targetSeconds) {
    return 'overtime';
  }
  return seconds >= targetSeconds * warnRatio ? 'warning' : 'ok';
}

/** Date and time in the hall's time zone, as auditors compare them: 2026-11-23 09:05:12. */
export function dateTime(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date).map(part => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A weekday's short name, Monday being 0: 周一 / Mon. */
export function weekday(index) {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(lang(), { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + index));
}

/** A count with the language's digit grouping: 12,345. */
export function count(n) {
  return new Intl.NumberFormat(lang()).format(n);
}

/**
 * A deadline as the server writes it (the end of a working day: 00:00 of the next day, with the hall's offset), shown
 * as the day it ends on: "2026-11-30 24:00"; any other instant as its date and time.
 */
export function deadline(iso) {
  if (!iso) {
    return '—';
  }
  if (iso.slice(11, 16) !== '00:00') {
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return `${day.toISOString().slice(0, 10)} 24:00`;
}

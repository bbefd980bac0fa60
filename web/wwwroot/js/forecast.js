// Staffing advice (人员建议) shared by the wall and the audit page: reading GET /forecast and saying what a figure
// was learnt from.
import { api } from './api.js';
import { t } from './i18n.js';
import { clock } from './format.js';

/** The hall's staffing forecast for `hours` hours; quiet: a page without the permission shows nothing, no toast. */
export function staffingForecast(hall, hours) {
  return api(`/api/halls/${encodeURIComponent(hall)}/forecast?hours=${hours}`, { quiet: true });
}

/** "9时" / "09:00": the local hour a staffing row starts. */
export function hourLabel(iso, timeZone) {
  return t('forecast.hour', { h: clock(new Date(iso), timeZone).slice(0, 2) });
}

/** What an hour's arrival rate was learnt from, in words: "近 8 个同星期日" / "8 past Mondays". */
export function basisText(row) {
  return t(`forecast.basis.${row.basis}`, { days: row.days });
}

/** Windows needed beyond those open now; 0 when enough are open or nothing is known. */
export function shortfall(row, open) {
  return row.windowsNeeded === null ? 0 : Math.max(0, row.windowsNeeded - open);
}

/** How a staffing cell shows: `none` (no advice), `short` (more needed than `open`), `zero` (none needed) or `ok`. */
export function needLevel(row, open) {
  if (row.windowsNeeded === null) {
    return 'none';
  }
  if (open !== null && shortfall(row, open) > 0) {
    return 'short';
  }
  return row.windowsNeeded === 0 ? 'zero' : 'ok';
}

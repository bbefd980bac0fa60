// The live hall: one SignalR connection that keeps a page's picture of the hall exactly in step with the
// journal. Joining answers with a snapshot at sequence number `seq`; every later journal event arrives as
// `event` with the next number. Events that arrive while joining are held until the snapshot is in; those
// the snapshot already holds are dropped; a gap (a number skipped) or a reconnect means a fresh snapshot.
/* global signalR */
import { currentToken, signIn } from './api.js';

const retryDelays = [0, 1000, 2000, 5000, 10000];

/**
 * Connects a page to a hall.
 * @param {object} options
 * @param {string} options.hall          hall id
 * @param {string} [options.window]      window id: joins as that window's clerk console
 * @param {(snapshot: object) => void} options.onSnapshot  a complete picture (first join and every resync)
 * @param {(event: object) => boolean|void} [options.onEvent]  each journal event after the snapshot, in order;
 *        returning true asks for a fresh snapshot (the page cannot keep its picture exact from events alone)
 * @param {(alert: object) => void} [options.onAlert]      an alert raised, escalated, acknowledged or resolved
 * @param {(status: 'connecting'|'live'|'reconnecting'|'offline', detail?: string) => void} [options.onStatus]
 * @returns {{ stop: () => Promise<void>, resync: () => Promise<void>, connection: object }}
 */
export function connectHall({ hall, window, onSnapshot, onEvent = () => {}, onAlert = () => {}, onStatus = () => {} }) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/hall', { accessTokenFactory: () => currentToken() ?? '' })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => retryDelays[Math.min(ctx.previousRetryCount, retryDelays.length - 1)] })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let lastSeq = -1;
  let held = null; // events received while a join is in flight
  let stopped = false;

  connection.on('event', event => {
    if (held) {
      held.push(event);
      return;
    }
    apply(event);
  });
  connection.on('alert', alert => onAlert(alert));

  function apply(event) {
    if (event.seq <= lastSeq) {
      return; // already in the snapshot
    }
    if (event.seq !== lastSeq + 1) {
      resync(); // a gap: something was missed, so start from a fresh picture
      return;
    }
    lastSeq = event.seq;
    if (event.type === 'configurationChanged') {
      // Names, targets or tokens changed: the page starts again with the new configuration (the token is kept in
      // this tab), screens spread over a few seconds so that a hall's walls do not all ask at once.
      setTimeout(() => location.reload(), 500 + Math.random() * 4000);
      return;
    }
    if (onEvent(event) === true) {
      resync();
    }
  }

  // One join at a time: a resync and a restart may both ask for one.
  let joining = null;
  function join() {
    joining ??= joinOnce().finally(() => { joining = null; });
    return joining;
  }

  async function joinOnce() {
    held = [];
    try {
      const snapshot = window
        ? await connection.invoke('JoinWindow', hall, window)
        : await connection.invoke('JoinHall', hall);
      lastSeq = snapshot.seq;
      const pending = held;
      held = null;
      onSnapshot(snapshot);
      pending.sort((a, b) => a.seq - b.seq).forEach(apply);
      onStatus('live');
    } catch (error) {
      held = null;
      throw error;
    }
  }

  function resync() {
    return join().catch(error => {
      onStatus('reconnecting', String(error?.message ?? error));
      // Still connected but the join failed (the hall was busy): try again; a dropped connection retries by itself.
      if (!stopped && connection.state === signalR.HubConnectionState.Connected) {
        setTimeout(resync, retryDelays[2]);
      }
    });
  }

  connection.onreconnecting(error => onStatus('reconnecting', error?.message));
  connection.onreconnected(() => resync());
  connection.onclose(async () => {
    if (stopped) {
      return;
    }
    onStatus('offline');
    await start(); // automatic reconnect gave up: keep trying, a wall screen must come back on its own
  });

  async function start() {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
        if (connection.state === signalR.HubConnectionState.Disconnected) {
          await connection.start(); // not again after a failed join: the connection is up, only the join is retried
        }
        await join();
        return;
      } catch (error) {
        if (error?.statusCode === 401) {
          signIn(); // the hub needs a token this tab does not have
          return;
        }
        if (isRefusal(error)) {
          stopped = true; // the token may not watch this hall or window: asking again would not change that
          onStatus('refused', refusalText(error));
          return;
        }
        onStatus('reconnecting', String(error?.message ?? error));
        await new Promise(resolve => setTimeout(resolve, retryDelays[Math.min(attempt + 1, retryDelays.length - 1)]));
      }
    }
  }

  start();
  return {
    connection,
    resync,
    stop: async () => {
      stopped = true;
      await connection.stop();
    },
  };
}

/** A join the server refused on purpose (a HubException: not allowed, no such hall), not a passing failure. */
function isRefusal(error) {
  return /HubException: /.test(String(error?.message ?? ''));
}

function refusalText(error) {
  return String(error.message).replace(/^.*HubException: /, '');
}

// A page's picture of the hall: the snapshot, then every journal event applied to it in order, the way
// the hall's own projection does it (grains/HallMonitor.Grains/Halls/HallProjection.cs). Times are kept as
// epoch milliseconds; `now()` is the server's clock, so timers on the page agree with the hall's.

/** The hour of the hall's day an event happened in: its time carries the hall's offset. */
function hourOf(at) {
  return Number(at.slice(11, 13));
}

/** The hall's service day of an event: its local calendar day. */
function dayOf(at) {
  return at.slice(0, 10);
}

function emptyFigures() {
  return {
    issued: 0,
    called: 0,
    calledWithinTarget: 0,
    waitSecondsSum: 0,
    completed: 0,
    handleSecondsSum: 0,
    noShow: 0,
    cancelled: 0,
    transferred: 0,
    rated: 0,
    satisfied: 0,
    alertsRaised: 0,
  };
}

export class HallModel {
  /** @param {object} config the hall configuration (GET /api/halls/{hall}) */
  constructor(config) {
    this.config = config;
    this.matters = new Map(config.matters.map(m => [m.code, m]));
    this.warnRatio = config.warnRatio ?? 0.8;
    this.timeZone = config.timeZone ?? 'Asia/Shanghai';
    this.offset = 0;
    this.serviceDay = '';
    this.windows = new Map();
    this.queues = new Map();
    this.figures = emptyFigures();
    this.hourly = Array.from({ length: 24 }, () => ({ issued: 0, completed: 0 }));
    this.alerts = new Map();
  }

  /** The server's clock now, in epoch milliseconds. */
  now() {
    return Date.now() + this.offset;
  }

  /** Takes a complete picture from a snapshot (first join and every resync). */
  reset(snapshot) {
    this.offset = Date.parse(snapshot.at) - Date.now();
    this.serviceDay = snapshot.serviceDay;
    this.windows = new Map(snapshot.windows.map(w => [w.windowId, {
      windowId: w.windowId,
      name: w.name,
      kind: w.kind,
      state: w.state,
      clerk: w.clerk ?? null,
      stateSince: Date.parse(w.stateSince),
      servedToday: w.servedToday,
      ticket: w.ticket ? {
        ...w.ticket,
        issuedAt: Date.parse(w.ticket.issuedAt),
        calledAt: Date.parse(w.ticket.calledAt),
        startedAt: w.ticket.startedAt ? Date.parse(w.ticket.startedAt) : null,
      } : null,
    }]));
    this.queues = new Map(snapshot.queues.map(q => [q.matter, {
      matter: q.matter,
      name: q.name,
      category: q.category,
      prefix: q.prefix,
      waitTargetSeconds: q.waitTargetSeconds,
      issued: q.issued,
      waiting: q.waiting,
      priorityWaiting: q.priorityWaiting,
      // The longest-waiting tickets, oldest first; every ticket not listed is newer than all of these.
      tickets: q.tickets.map(ticket => ({ ...ticket, issuedAt: Date.parse(ticket.issuedAt) })),
    }]));
    this.stale = false;

    const k = snapshot.kpis;
    this.figures = {
      issued: k.issued,
      called: k.called,
      calledWithinTarget: Math.round((k.serviceLevel ?? 0) * k.called),
      waitSecondsSum: (k.avgWaitSeconds ?? 0) * k.called,
      completed: k.completed,
      handleSecondsSum: (k.avgHandleSeconds ?? 0) * k.completed,
      noShow: k.noShow,
      cancelled: k.cancelled,
      transferred: k.transferred,
      rated: k.rated,
      satisfied: Math.round((k.satisfactionRate ?? 0) * k.rated),
      alertsRaised: k.alertsRaised,
    };
    this.hourly = Array.from({ length: 24 }, (_, hour) => {
      const figures = snapshot.hourly.find(h => h.hour === hour);
      return { issued: figures?.issued ?? 0, completed: figures?.completed ?? 0 };
    });
    this.alerts = new Map(snapshot.alerts.map(a => [a.alertId, a]));
  }

  /**
   * Applies one journal event, the next in sequence. Returns true when the picture can no longer be kept
   * exact from events (a queue's listed tickets ran out while others still wait): take a fresh snapshot.
   */
  apply(event) {
    this.#apply(event);
    return this.stale;
  }

  #apply(event) {
    const { at, type, data } = event;
    const atMs = Date.parse(at);
    this.offset = Math.max(this.offset, atMs - Date.now());
    if (dayOf(at) > this.serviceDay) {
      this.#startDay(dayOf(at));
    }

    const f = this.figures;
    switch (type) {
      case 'ticketIssued': {
        const queue = this.queues.get(data.matter);
        if (queue) {
          this.#enqueue(queue, { ticketId: data.ticketId, number: data.number, priority: data.priority, issuedAt: atMs });
          queue.issued++;
        }
        f.issued++;
        this.hourly[hourOf(at)].issued++;
        break;
      }
      case 'ticketCalled': {
        this.#dequeue(data.matter, data.ticketId, data.priority);
        const window = this.#window(data.window);
        window.ticket = {
          ticketId: data.ticketId,
          number: data.number,
          matter: data.matter,
          state: 'called',
          priority: data.priority,
          issuedAt: Date.parse(data.issuedAt),
          calledAt: atMs,
          startedAt: null,
          recalls: 0,
        };
        this.#move(window, 'calling', atMs);
        f.called++;
        f.waitSecondsSum += data.waitSeconds;
        if (data.waitSeconds <= (this.matters.get(data.matter)?.waitTargetSeconds ?? Infinity)) {
          f.calledWithinTarget++;
        }
        break;
      }
      case 'ticketRecalled': {
        const window = this.#window(data.window);
        if (window.ticket) {
          window.ticket.recalls = data.recalls;
        }
        break;
      }
      case 'serviceStarted': {
        const window = this.#window(data.window);
        if (window.ticket) {
          window.ticket.state = 'serving';
          window.ticket.startedAt = atMs;
        }
        this.#move(window, 'serving', atMs);
        break;
      }
      case 'serviceCompleted':
        this.#finish(data.window, atMs, true);
        f.completed++;
        f.handleSecondsSum += data.handleSeconds;
        this.hourly[hourOf(at)].completed++;
        break;
      case 'ticketNoShow':
        this.#finish(data.window, atMs, false);
        f.noShow++;
        break;
      case 'ticketCancelled':
        this.#dequeue(data.matter, data.ticketId);
        f.cancelled++;
        break;
      case 'ticketTransferred':
        this.#finish(data.window, atMs, false);
        f.transferred++;
        break;
      case 'ticketExpired':
        if (data.window) {
          this.#finish(data.window, atMs, false);
        } else {
          this.#dequeue(data.matter, data.ticketId);
        }
        break;
      case 'ticketRated':
        f.rated++;
        f.satisfied += data.score >= 4 ? 1 : 0;
        break;
      case 'windowOpened': {
        const window = this.#window(data.window);
        window.clerk = data.clerk;
        this.#move(window, 'idle', atMs);
        break;
      }
      case 'windowPaused':
        this.#move(this.#window(data.window), 'paused', atMs);
        break;
      case 'windowResumed':
        this.#move(this.#window(data.window), 'idle', atMs);
        break;
      case 'windowClosed': {
        const window = this.#window(data.window);
        window.clerk = null;
        window.ticket = null;
        this.#move(window, 'closed', atMs);
        break;
      }
      case 'alertRaised':
      case 'alertEscalated':
      case 'alertAcknowledged':
      case 'alertResolved':
        if (type === 'alertRaised') {
          f.alertsRaised++;
        }
        if (data.alert.state === 'open') {
          this.alerts.set(data.alert.alertId, data.alert);
        } else {
          this.alerts.delete(data.alert.alertId);
        }
        break;
      default:
        break;
    }
  }

  /** Today's KPIs, as the snapshot states them. */
  get kpis() {
    const f = this.figures;
    return {
      issued: f.issued,
      called: f.called,
      completed: f.completed,
      noShow: f.noShow,
      waiting: [...this.queues.values()].reduce((sum, q) => sum + q.waiting, 0),
      avgWaitSeconds: f.called > 0 ? f.waitSecondsSum / f.called : null,
      avgHandleSeconds: f.completed > 0 ? f.handleSecondsSum / f.completed : null,
      serviceLevel: f.called > 0 ? f.calledWithinTarget / f.called : null,
      satisfactionRate: f.rated > 0 ? f.satisfied / f.rated : null,
      rated: f.rated,
      openAlerts: this.alerts.size,
    };
  }

  /** Seconds the oldest ticket of a queue has waited, 0 when nobody waits. */
  oldestWaitSeconds(queue) {
    return queue.tickets.length === 0 ? 0 : (this.now() - queue.tickets[0].issuedAt) / 1000;
  }

  /** A matter's configured name; the code itself for a matter the configuration does not know. */
  matterName(code) {
    return this.matters.get(code)?.name ?? code;
  }

  /**
   * What an alert measures now: the people waiting for a queue backlog, else the seconds on the clock it
   * watches, never less than the figure it was raised with.
   */
  alertValue(alert) {
    if (alert.kind === 'queueBacklog') {
      return this.queues.get(alert.matter)?.waiting ?? alert.value;
    }
    if (alert.kind === 'waitPredicted') {
      return alert.value;
    }
    return Math.max(alert.value, alert.since ? (this.now() - Date.parse(alert.since)) / 1000 : 0);
  }

  /** Whether a window serves a matter (["*"] = every matter). */
  serves(windowId, matter) {
    const served = this.config.windows.find(w => w.id === windowId)?.matters ?? [];
    return served.includes('*') || served.includes(matter);
  }

  /** Open alerts, the red ones first, then the most recent. */
  openAlerts() {
    const rank = alert => (alert.level === 'overtime' ? 1 : 0);
    const changed = alert => Date.parse(alert.escalatedAt ?? alert.raisedAt);
    return [...this.alerts.values()].sort((a, b) => rank(b) - rank(a) || changed(b) - changed(a));
  }

  #startDay(day) {
    this.serviceDay = day;
    this.figures = emptyFigures();
    this.hourly = Array.from({ length: 24 }, () => ({ issued: 0, completed: 0 }));
    for (const window of this.windows.values()) {
      window.servedToday = 0;
    }
    for (const queue of this.queues.values()) {
      queue.issued = 0;
    }
  }

  #window(windowId) {
    let window = this.windows.get(windowId);
    if (!window) {
      const definition = this.config.windows.find(w => w.id === windowId);
      window = { windowId, name: definition?.name ?? windowId, kind: definition?.kind, state: 'closed', clerk: null, ticket: null, stateSince: 0, servedToday: 0 };
      this.windows.set(windowId, window);
    }
    return window;
  }

  #move(window, state, at) {
    window.state = state;
    window.stateSince = at;
  }

  #finish(windowId, at, served) {
    const window = this.#window(windowId);
    window.ticket = null;
    window.servedToday += served ? 1 : 0;
    this.#move(window, 'idle', at);
  }

  /** A new ticket is the newest: it joins the list only when the list holds every waiting ticket. */
  #enqueue(queue, ticket) {
    if (queue.tickets.length === queue.waiting) {
      queue.tickets.push(ticket);
    }
    queue.waiting++;
    queue.priorityWaiting += ticket.priority ? 1 : 0;
  }

  /** A ticket leaves the queue; `priority` when the event tells it, else what the list knows of it. */
  #dequeue(matter, ticketId, priority) {
    const queue = this.queues.get(matter);
    if (!queue) {
      return;
    }
    const listed = queue.tickets.find(ticket => ticket.ticketId === ticketId);
    queue.tickets = queue.tickets.filter(ticket => ticket !== listed);
    queue.waiting = Math.max(0, queue.waiting - 1);
    queue.priorityWaiting = Math.max(0, queue.priorityWaiting - ((priority ?? listed?.priority) ? 1 : 0));
    if (queue.tickets.length === 0 && queue.waiting > 0) {
      this.stale = true;
    }
  }
}

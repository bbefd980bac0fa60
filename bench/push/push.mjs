// Live push under load: many wall clients per hall, commands through the HTTP API at a set rate, and for every
// event delivered to every client the time from the command's send to its arrival.
//
//   node push.mjs --url http://127.0.0.1:5080 --mode signalr|raw --halls 200 --clients 10 --lanes 1 \
//     --per-hour 1000 --seconds 60 --workers 2 [--server-pid PID]
//
// Clients are plain WebSockets (`ws`) in worker threads: `signalr` negotiates (POST /hubs/hall/negotiate?
// negotiateVersion=1), connects, sends the JSON protocol handshake and invokes JoinHall; `raw` connects to the
// bench-only /bench/raw/{hall} (HallMonitor:Bench:RawPush=true), which writes the same bytes. Commands run in the
// main thread: each hall has `lanes` lanes, lane i owning window i and matter i (halls.mjs), and runs ticket
// lifecycles (issue, call-next, start, complete, rating: five events) at `per-hour` lifecycles an hour per hall,
// spread evenly over the lanes. A lane is the only issuer of its matter, so it knows each ticket's number before
// sending; it stamps the send time of each command in shared memory, where the clients find it by the event's
// number and type. Every client checks that seq has no gap and ends at the hall's last seq.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const STEPS = ['ticketIssued', 'ticketCalled', 'serviceStarted', 'serviceCompleted', 'ticketRated'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_TICKETS = 8192; // per lane
const RS = '\x1e';
const now = () => performance.timeOrigin + performance.now();

if (isMainThread) {
  await main();
} else {
  await worker();
}

function options() {
  const args = process.argv.slice(2);
  const get = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  return {
    url: get('url', 'http://127.0.0.1:5080'),
    mode: get('mode', 'signalr'),
    halls: Number(get('halls', '200')),
    clients: Number(get('clients', '10')),
    lanes: Number(get('lanes', '1')),
    perHour: Number(get('per-hour', '1000')),
    seconds: Number(get('seconds', '60')),
    workers: Number(get('workers', '2')),
    serverPid: get('server-pid', ''),
    label: get('label', ''),
  };
}

async function main() {
  const o = options();
  const hallIds = (await (await fetch(`${o.url}/api/halls`)).json()).map(h => h.id).slice(0, o.halls);
  if (hallIds.length < o.halls) throw new Error(`the server has ${hallIds.length} halls, ${o.halls} asked`);
  const sendTimes = new Float64Array(new SharedArrayBuffer(8 * o.halls * o.lanes * MAX_TICKETS * STEPS.length));
  const post = async (path, body) => {
    const response = await fetch(`${o.url}/api/halls/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };

  // Windows open and one warm-up lifecycle per lane before anyone watches; their events are not measured. The
  // warm-up ticket's number tells the lane where its matter's numbering stands (a server may serve several runs).
  const firstNumber = await Promise.all(hallIds.map(async hall => {
    const numbers = [];
    for (let lane = 0; lane < o.lanes; lane++) {
      const window = String(lane + 1).padStart(2, '0');
      const state = (await (await fetch(`${o.url}/api/halls/${hall}/windows/${window}`)).json()).state;
      if (state === 'closed') await post(`${hall}/windows/${window}/open`, { clerk: `bench-${lane + 1}` });
      const ticket = await post(`${hall}/tickets`, { matter: `M-${LETTERS[lane]}` });
      await post(`${hall}/windows/${window}/call-next`);
      await post(`${hall}/windows/${window}/start`);
      await post(`${hall}/windows/${window}/complete`);
      numbers.push(Number(ticket.number.slice(1)) + 1);
    }
    return numbers;
  }));

  // Clients, spread over the workers.
  const workers = [];
  const connectStarted = now();
  for (let w = 0; w < o.workers; w++) {
    const clients = [];
    for (let c = w; c < o.halls * o.clients; c += o.workers) clients.push(c % o.halls);
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { url: o.url, mode: o.mode, hallIds, clients, lanes: o.lanes, sendTimes },
    });
    const inbox = [];
    let waiting = null;
    worker.on('message', m => (waiting ? (waiting(m), (waiting = null)) : inbox.push(m)));
    worker.on('error', e => { console.error('worker failed:', e); process.exit(1); });
    worker.next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise(r => (waiting = r)));
    workers.push(worker);
  }
  const connected = await Promise.all(workers.map(w => w.next()));
  const failedToConnect = connected.reduce((s, m) => s + m.failed, 0);
  console.log(`${o.halls * o.clients - failedToConnect}/${o.halls * o.clients} ${o.mode} clients connected in ${((now() - connectStarted) / 1000).toFixed(1)} s (${o.workers} workers)`);
  await new Promise(r => setTimeout(r, 500));

  // Where each hall's journal stands now; every client expects everything after it.
  const startSeq = await Promise.all(hallIds.map(async hall => (await (await fetch(`${o.url}/api/halls/${hall}/snapshot`)).json()).seq));
  workers.forEach(w => w.postMessage({ start: startSeq }));

  const cpu = () => ({ driver: process.cpuUsage(), server: serverCpu(o.serverPid), at: now() });
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const before = cpu();
  const interval = 3_600_000 / (o.perHour / o.lanes);
  const deadline = now() + o.seconds * 1000;
  let lifecycles = 0;
  let lateStarts = 0;
  let wrongNumbers = 0;
  const lane = async (h, l) => {
    const hall = hallIds[h];
    const window = String(l + 1).padStart(2, '0');
    const base = (h * o.lanes + l) * MAX_TICKETS * STEPS.length;
    let next = now() + Math.random() * interval;
    for (let n = firstNumber[h][l]; ; n++) {
      if (n >= MAX_TICKETS) throw new Error(`more than ${MAX_TICKETS} tickets of one matter: restart the server`);
      const wait = next - now();
      if (next >= deadline) return;
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
      else if (wait < -interval) lateStarts++;
      next += interval;
      const stamp = step => (sendTimes[base + n * STEPS.length + step] = now());
      stamp(0);
      const ticket = await post(`${hall}/tickets`, { matter: `M-${LETTERS[l]}` });
      if (ticket.number[0] !== LETTERS[l] || Number(ticket.number.slice(1)) !== n) wrongNumbers++;
      stamp(1);
      await post(`${hall}/windows/${window}/call-next`);
      stamp(2);
      await post(`${hall}/windows/${window}/start`);
      stamp(3);
      await post(`${hall}/windows/${window}/complete`);
      stamp(4);
      await post(`${hall}/tickets/${ticket.ticketId}/rating`, { score: 5 });
      lifecycles++;
    }
  };
  const lanes = [];
  for (let h = 0; h < o.halls; h++) for (let l = 0; l < o.lanes; l++) lanes.push(lane(h, l));
  await Promise.all(lanes);
  const commandsEnded = now();

  const finalSeq = await Promise.all(hallIds.map(async hall => (await (await fetch(`${o.url}/api/halls/${hall}/snapshot`)).json()).seq));
  workers.forEach(w => w.postMessage({ final: finalSeq }));
  const reports = await Promise.all(workers.map(w => w.next()));
  const after = cpu();
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  workers.forEach(w => w.postMessage({ close: true }));

  const expected = hallIds.reduce((s, _, h) => s + (finalSeq[h] - startSeq[h]), 0) * o.clients;
  const sum = key => reports.reduce((s, r) => s + r[key], 0);
  const latencies = Float64Array.from(reports.flatMap(r => Array.from(r.latencies))).sort();
  const q = p => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  const elapsed = (after.at - before.at) / 1000;
  // p50 and p99 of the messages that arrived in each 10 s of the run: a slow start shows apart from a slow run.
  const timeline = [];
  for (let from = before.at; from < commandsEnded; from += 10_000) {
    const window = Float64Array.from(reports.flatMap(r => Array.from(r.latencies).filter((_, i) => r.arrivals[i] >= from && r.arrivals[i] < from + 10_000))).sort();
    const at = p => (window.length ? Number(window[Math.min(window.length - 1, Math.floor(p * window.length))].toFixed(1)) : null);
    timeline.push([at(0.5), at(0.99)]);
  }
  const driverCpu = (after.driver.user + after.driver.system - before.driver.user - before.driver.system) / 1e6;
  const serverCpuSeconds = after.server !== null && before.server !== null ? after.server - before.server : NaN;
  const events = hallIds.reduce((s, _, h) => s + (finalSeq[h] - startSeq[h]), 0);
  const result = {
    label: o.label, mode: o.mode, halls: o.halls, clientsPerHall: o.clients, lanes: o.lanes, perHourPerHall: o.perHour,
    seconds: Number(((commandsEnded - before.at) / 1000).toFixed(1)), lifecycles, lateStarts, wrongNumbers,
    events, eventsPerSecond: Number((events / ((commandsEnded - before.at) / 1000)).toFixed(1)),
    delivered: sum('delivered'), expected, gaps: sum('gaps'), incompleteClients: sum('incomplete'), failedClients: failedToConnect,
    measured: latencies.length,
    p50: Number(q(0.5).toFixed(2)), p99: Number(q(0.99).toFixed(2)), max: Number((latencies.at(-1) ?? NaN).toFixed(2)),
    serverCpu: Number((serverCpuSeconds / elapsed).toFixed(3)), driverCpu: Number((driverCpu / elapsed).toFixed(3)),
    serverCpuSeconds: Number(serverCpuSeconds.toFixed(2)), driverCpuSeconds: Number(driverCpu.toFixed(2)),
    loadBefore, loadAfter, timeline,
  };
  console.log(JSON.stringify(result));
  await Promise.all(workers.map(w => new Promise(r => w.once('exit', r))));
}

function serverCpu(pid) {
  if (!pid) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

async function worker() {
  const { url, mode, hallIds, clients, lanes, sendTimes } = workerData;
  const times = new Float64Array(sendTimes.buffer);
  const state = clients.map(hall => ({ hall, socket: null, lastSeq: -1, delivered: 0, gaps: 0, ready: false }));
  let latencies = new Float64Array(1 << 16);
  let arrivals = new Float64Array(1 << 16);
  let measured = 0;
  let started = false;
  const grow = array => {
    const bigger = new Float64Array(array.length * 2);
    bigger.set(array);
    return bigger;
  };
  const record = (value, arrived) => {
    if (measured === latencies.length) {
      latencies = grow(latencies);
      arrivals = grow(arrivals);
    }
    arrivals[measured] = arrived;
    latencies[measured++] = value;
  };

  const onEvent = (client, event, arrived) => {
    if (!started || event.seq <= client.lastSeq) return;
    if (event.seq !== client.lastSeq + 1) client.gaps++;
    client.lastSeq = event.seq;
    client.delivered++;
    const step = STEPS.indexOf(event.type);
    const number = event.data?.number;
    if (step < 0 || typeof number !== 'string') return;
    const lane = LETTERS.indexOf(number[0]);
    const n = Number(number.slice(1));
    if (lane < 0 || lane >= lanes || !(n > 0 && n < MAX_TICKETS)) return;
    const sent = times[((client.hall * lanes + lane) * MAX_TICKETS + n) * STEPS.length + step];
    if (sent > 0) record(arrived - sent, arrived);
  };

  const wsUrl = url.replace(/^http/, 'ws');
  const connect = async client => {
    const hallId = hallIds[client.hall];
    if (mode === 'raw') {
      const socket = new WebSocket(`${wsUrl}/bench/raw/${hallId}`, { perMessageDeflate: false });
      client.socket = socket;
      socket.on('message', data => {
        const arrived = now();
        for (const frame of data.toString().split(RS)) {
          if (!frame) continue;
          const message = JSON.parse(frame);
          if (message.target === 'event') onEvent(client, message.arguments[0], arrived);
        }
      });
      await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
      return;
    }
    const negotiated = await (await fetch(`${url}/hubs/hall/negotiate?negotiateVersion=1`, { method: 'POST' })).json();
    const socket = new WebSocket(`${wsUrl}/hubs/hall?id=${encodeURIComponent(negotiated.connectionToken)}`, { perMessageDeflate: false });
    client.socket = socket;
    let joined;
    const join = new Promise((resolve, reject) => (joined = { resolve, reject }));
    let handshaken = false;
    socket.on('message', data => {
      const arrived = now();
      for (const frame of data.toString().split(RS)) {
        if (!frame) continue;
        const message = JSON.parse(frame);
        if (!handshaken) {
          handshaken = true;
          if (message.error) return joined.reject(new Error(message.error));
          socket.send(JSON.stringify({ type: 1, invocationId: '1', target: 'JoinHall', arguments: [hallId] }) + RS);
        } else if (message.type === 1 && message.target === 'event') {
          onEvent(client, message.arguments[0], arrived);
        } else if (message.type === 3 && message.invocationId === '1') {
          if (message.error) joined.reject(new Error(message.error));
          else joined.resolve(message.result.seq);
        }
      }
    });
    socket.on('close', () => joined.reject(new Error('closed')));
    await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
    socket.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
    await join;
  };

  // A few connections at a time: thousands of handshakes at once only queue at the server.
  let failed = 0;
  let nextClient = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (nextClient < state.length) {
      const client = state[nextClient++];
      try {
        await connect(client);
        client.ready = true;
      } catch {
        failed++;
      }
    }
  }));
  // SignalR closes a connection that sends nothing for 30 s: ping every 10 s, as the JS client does every 15.
  const pings = mode === 'signalr'
    ? setInterval(() => state.forEach(c => c.ready && c.socket.readyState === WebSocket.OPEN && c.socket.send(`{"type":6}${RS}`)), 10_000)
    : null;
  parentPort.postMessage({ failed });

  parentPort.on('message', async message => {
    if (message.start) {
      state.forEach(c => (c.lastSeq = message.start[c.hall]));
      started = true;
    } else if (message.final) {
      const until = now() + 15_000;
      const complete = c => !c.ready || c.lastSeq >= message.final[c.hall];
      while (!state.every(complete) && now() < until) await new Promise(r => setTimeout(r, 20));
      parentPort.postMessage({
        delivered: state.reduce((s, c) => s + c.delivered, 0),
        gaps: state.reduce((s, c) => s + c.gaps, 0),
        incomplete: state.filter(c => !complete(c)).length,
        latencies: latencies.subarray(0, measured),
        arrivals: arrivals.subarray(0, measured),
      });
    } else if (message.close) {
      if (pings) clearInterval(pings);
      state.forEach(c => c.socket?.terminate());
      parentPort.close();
    }
  });
}

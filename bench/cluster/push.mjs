// Command-to-wall latency: a wall (SignalR) joined on one web replica, tickets issued one after another through
// another (or the same) replica; for each ticket, the time from sending the command to its event at the wall.
//   node push.mjs WALL_URL COMMAND_URL [count] [hall]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const signalR = require(new URL('../../web/node_modules/@microsoft/signalr', import.meta.url).pathname);

const [wallUrl, commandUrl, count = '500', hall = 'xinqu'] = process.argv.slice(2);
const wall = new signalR.HubConnectionBuilder()
  .withUrl(`${wallUrl}/hubs/hall`, { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
  .configureLogging(signalR.LogLevel.Warning)
  .build();
const arrived = new Map();
let lastSeq = -1;
let gaps = 0;
wall.on('alert', () => {});
wall.on('event', event => {
  if (lastSeq >= 0 && event.seq !== lastSeq + 1) gaps++;
  lastSeq = event.seq;
  if (event.type === 'ticketIssued') arrived.set(event.data.ticketId, performance.now());
});
await wall.start();
lastSeq = (await wall.invoke('JoinHall', hall)).seq;

const sent = new Map();
for (let i = 0; i < Number(count); i++) {
  const started = performance.now();
  const response = await fetch(`${commandUrl}/api/halls/${hall}/tickets`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ matter: 'BIZ-REG' }),
  });
  const ticket = await response.json();
  sent.set(ticket.ticketId, started);
}
const deadline = performance.now() + 5000;
while ([...sent.keys()].some(id => !arrived.has(id)) && performance.now() < deadline) {
  await new Promise(resolve => setTimeout(resolve, 20));
}
const latencies = [...sent].filter(([id]) => arrived.has(id)).map(([id, started]) => arrived.get(id) - started).sort((a, b) => a - b);
const at = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`${latencies.length}/${sent.size} events at the wall, ${gaps} gaps; command-to-wall p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
await wall.stop();

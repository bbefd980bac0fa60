// Reads push.mjs result lines (JSON) from stdin and prints them as a table, then each SignalR run against the raw run
// next to it (before or after): the ratios of their p50 and p99, and the server's CPU per delivered message.
import { readFileSync } from 'node:fs';
const runs = readFileSync(0, 'utf8').split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l));
const perMessage = r => (r.serverCpuSeconds * 1e6) / Math.max(1, r.delivered);
const driverPerMessage = r => (r.driverCpuSeconds * 1e6) / Math.max(1, r.delivered);
const row = r => [
  r.label, r.mode, `${r.halls}×${r.clientsPerHall}`, r.eventsPerSecond, `${r.delivered}/${r.expected}`, r.gaps,
  r.incompleteClients + r.failedClients, r.p50, r.p99, r.max, (r.serverCpu * 100).toFixed(0) + ' %',
  perMessage(r).toFixed(1), (r.driverCpu * 100).toFixed(0) + ' %', driverPerMessage(r).toFixed(1), r.loadBefore,
];
const head = ['shape', 'clients', 'halls×clients', 'events/s', 'delivered/expected', 'gaps', 'lost clients',
  'p50 ms', 'p99 ms', 'max ms', 'server CPU', 'server µs/msg', 'driver CPU', 'driver µs/msg', 'load'];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
runs.forEach(r => console.log(`| ${row(r).join(' | ')} |`));
console.log();
for (let i = 0; i + 1 < runs.length; i++) {
  const pair = [runs[i], runs[i + 1]];
  const s = pair.find(r => r.mode === 'signalr');
  const r = pair.find(r => r.mode === 'raw');
  if (s && r && s.label === r.label) {
    console.log(`${s.label}: SignalR/raw p50 ${(s.p50 / r.p50).toFixed(2)}×, p99 ${(s.p99 / r.p99).toFixed(2)}×, server CPU per delivered message ${perMessage(s).toFixed(1)} vs ${perMessage(r).toFixed(1)} µs (SignalR's extra ${(perMessage(s) - perMessage(r)).toFixed(1)} µs)`);
    i++;
  }
}

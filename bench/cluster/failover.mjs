// Failover after a kill: kiosks issue tickets in every hall (back to back, and a probe that sends a new request
// every 100 ms whatever the others wait for); at KILL_AT ms the given process gets the signal; prints, per hall,
// how long after the kill a request sent after it first got its ticket, and what the others got meanwhile.
//   node failover.mjs API_URL[,API_URL2] PID [signal=SIGKILL] [seconds=15] [killAtMs=3000] [halls=xinqu,ganjingzi]
const [apis, pid, signal = 'SIGKILL', seconds = '15', killAt = '3000', halls = 'xinqu,ganjingzi'] = process.argv.slice(2);
const urls = apis.split(',');
const hallIds = halls.split(',');
const t0 = performance.now();
const log = [];
let killedAt = null;
setTimeout(() => { process.kill(Number(pid), signal); killedAt = performance.now() - t0; }, Number(killAt));
const running = () => performance.now() - t0 < Number(seconds) * 1000;

async function issue(hall, turn) {
  const sent = performance.now() - t0;
  try {
    const response = await fetch(`${urls[turn % urls.length]}/api/halls/${hall}/tickets`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ matter: 'BIZ-REG' }),
      signal: AbortSignal.timeout(60000),
    });
    await response.text();
    log.push({ hall, sent, answered: performance.now() - t0, status: response.status });
    return response.status;
  } catch (error) {
    log.push({ hall, sent, answered: performance.now() - t0, status: `error ${error.message}` });
    return 0;
  }
}
async function backToBack(hall, turn) {
  while (running()) if (await issue(hall, turn++) !== 201) await new Promise(r => setTimeout(r, 100));
}
async function probe(hall) {
  const pending = [];
  for (let turn = 0; running(); turn++) {
    pending.push(issue(hall, turn));
    await new Promise(r => setTimeout(r, 100));
  }
  await Promise.all(pending);
}
await Promise.all(hallIds.flatMap(hall => [backToBack(hall, 0), backToBack(hall, 1), probe(hall)]));
for (const hall of hallIds) {
  const mine = log.filter(o => o.hall === hall);
  const back = mine.filter(o => o.status === 201 && o.sent >= killedAt).map(o => o.answered - killedAt).sort((a, b) => a - b)[0];
  const others = {};
  mine.filter(o => o.status !== 201).forEach(o => { others[o.status] = (others[o.status] ?? 0) + 1; });
  const slowest = Math.max(...mine.filter(o => o.answered > killedAt).map(o => o.answered - o.sent));
  console.log(`${hall}: ${mine.filter(o => o.status === 201).length} issued; serving again ${back === undefined ? 'never' : (back / 1000).toFixed(2) + ' s'} after the ${signal}; others ${JSON.stringify(others)}; slowest answer ${(slowest / 1000).toFixed(2)} s`);
}

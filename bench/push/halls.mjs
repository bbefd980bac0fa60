// A generated city for the push bench: HALLS halls, each with LANES matters (prefixes A, B, …) and as many
// windows, window i dedicated to matter i, so that a driver lane owning one window knows the number of every
// ticket it issues before the server answers. Targets are hours long: no alert interrupts the events.
//   node halls.mjs HALLS LANES > halls.json
const [halls = '200', lanes = '1'] = process.argv.slice(2);
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pad = (n, width) => String(n).padStart(width, '0');
const out = {
  halls: Array.from({ length: Number(halls) }, (_, h) => ({
    id: `h${pad(h + 1, 3)}`,
    name: `压测大厅 ${h + 1}`,
    timeZone: 'Asia/Shanghai',
    matters: Array.from({ length: Number(lanes) }, (_, m) => ({
      code: `M-${letters[m]}`, name: `事项 ${letters[m]}`, category: '压测', prefix: letters[m],
      waitTargetSeconds: 14400, handleTargetSeconds: 14400,
    })),
    windows: Array.from({ length: Number(lanes) }, (_, w) => ({
      id: pad(w + 1, 2), name: `${w + 1}号窗口`, kind: 'dedicated', matters: [`M-${letters[w]}`],
    })),
  })),
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

// Sounds made on the spot with WebAudio, so the pages need no audio files: the calling screen's
// two-tone chime and the clerk console's overtime alarm. Browsers keep audio off until the user has
// touched the page; `enableSound` is called from a click and tells whether sound now plays.

let context = null;

function audio() {
  context ??= new AudioContext();
  return context;
}

/** Whether sound plays without a further gesture (a kiosk browser may allow it from the start). */
export function soundAllowed() {
  return audio().state === 'running';
}

/** Unlocks audio; call it from a user gesture. Answers whether sound now plays. */
export async function enableSound() {
  const ctx = audio();
  if (ctx.state !== 'running') {
    await ctx.resume();
  }
  return ctx.state === 'running';
}

/** Unlocks audio at the first click or key on the page (the clerk console is used by hand anyway). */
export function enableSoundOnFirstGesture() {
  const unlock = () => {
    enableSound();
    window.removeEventListener('pointerdown', unlock);
    window.removeEventListener('keydown', unlock);
  };
  window.addEventListener('pointerdown', unlock);
  window.addEventListener('keydown', unlock);
}

/** A bell-like tone: a sine with a quieter octave above, struck and fading out. */
function bell(ctx, frequency, start, seconds, volume) {
  for (const [multiple, share] of [[1, 1], [2, 0.35], [3, 0.12]]) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency * multiple;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(volume * share, start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + seconds + 0.05);
  }
}

/** The calling chime (叮咚); answers how long it sounds, in milliseconds (0 while sound is off). */
export function chime() {
  const ctx = audio();
  if (ctx.state !== 'running') {
    return 0;
  }
  const now = ctx.currentTime + 0.02;
  bell(ctx, 784, now, 1.1, 0.35); // G5
  bell(ctx, 622, now + 0.45, 1.4, 0.35); // E♭5
  return 1900;
}

/** The overtime alarm: three short, insistent beeps. */
export function alarm() {
  const ctx = audio();
  if (ctx.state !== 'running') {
    return;
  }
  const now = ctx.currentTime + 0.02;
  for (let i = 0; i < 3; i++) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    const start = now + i * 0.28;
    oscillator.type = 'triangle';
    oscillator.frequency.value = 1046;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.01);
    gain.gain.setValueAtTime(0.4, start + 0.16);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.22);
  }
}

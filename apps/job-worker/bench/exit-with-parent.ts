/**
 * Preloaded into the benchmark's worker processes (`--import`), before the unmodified
 * `src/worker.ts`: when the benchmark process goes away without stopping them (SIGKILL, or tsx
 * killing it while its event loop was busy with the org), the worker gets SIGTERM and shuts down
 * gracefully as on Heroku, instead of living on as an orphan polling Redis.
 */
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 1000);
watch.unref();

// Background jobs of the server (retention, usage): run soon after start, then on an interval,
// never two runs of one job at once; stopping waits for a run in progress.
import type { Logger } from 'pino';

/** Runs `job` soon and then every `intervalMs`; returns a stop function that waits for a run in progress. */
export function scheduleJob(name: string, services: { log: Logger }, intervalMs: number, job: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(job).catch((error: unknown) => services.log.error({ err: error }, `${name} job failed`));
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}

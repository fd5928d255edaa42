// Sharing one async operation between concurrent callers without ever handing a caller a result that
// is older than the call. A caller joins the next run to start, never one already on its way: that one may
// have begun before something the caller must see (a write it just made, say). So at most one run is on its
// way and one waits to start, however many callers there are.

/** fn, wrapped so that concurrent calls share runs as described above. */
export function sharedRuns<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const run = fn();
    running = run;
    const clear = () => {
      if (running === run) running = null;
    };
    run.then(clear, clear);
    return run;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

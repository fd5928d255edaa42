// Events and what they cause. A feature fires what happened (an interview completed, the themes updated)
// on its channel; what that causes is one table, composed where the features are wired (src/consequences.ts)
// and installed at start-up, so the feature that fires knows none of the features that care.
export interface AppEvent {
  readonly type: string;
  readonly at: Date;
}

/** One thing an event causes: enqueue an email, recompute the themes, deliver a webhook... */
export type Consequence<E extends AppEvent> = (event: E) => Promise<void>;

/** For each event of a channel, what it causes, in order; every type is named, so a new one cannot be forgotten. */
export type ConsequenceTable<E extends AppEvent> = { [T in E['type']]: readonly Consequence<E>[] };

export interface EventChannel<E extends AppEvent> {
  readonly name: string;
  /** Sets what each event causes (replacing what was set), and who hears of a consequence that failed. */
  install(table: ConsequenceTable<E>, onError: (err: unknown, event: E) => void): void;
  /** Events cause nothing from now on (a test app that closes). */
  uninstall(): void;
  /**
   * Runs the event's consequences, one after the other. One that fails is reported and the rest still run:
   * what happened has happened (it is stored), and the person who did it is not told it failed.
   */
  fire(event: E): Promise<void>;
}

export function eventChannel<E extends AppEvent>(name: string): EventChannel<E> {
  let table: Partial<ConsequenceTable<E>> = {};
  let onError: (err: unknown, event: E) => void = () => {};
  return {
    name,
    install(t, report) {
      table = t;
      onError = report;
    },
    uninstall() {
      table = {};
    },
    async fire(event) {
      const consequences: readonly Consequence<E>[] = table[event.type as E['type']] ?? [];
      for (const consequence of consequences) {
        try {
          await consequence(event);
        } catch (err) {
          onError(err, event);
        }
      }
    },
  };
}

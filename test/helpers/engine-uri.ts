// Where the test run's engine listens (set once by the global setup).
let uri: string | undefined;

export function setEngineUri(value: string): void {
  uri = value;
}

export function engineUri(): string {
  if (!uri) throw new Error('The test engine is not running: the mocha global setup (test/helpers/global.ts) did not run.');
  return uri;
}

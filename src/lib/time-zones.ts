// Time-zone names: whether the runtime knows one, and the list the time-zone fields suggest. Shared by
// the program's sending rules, staff members' own zones and the emails that state times.

// Asking Intl costs about a millisecond, and the outbox asks for every email it follows up: answers are
// kept (a zone valid once stays valid in this process), up to a bound against arbitrary input.
const knownZones = new Map<string, boolean>();

/** True for zone names Intl knows (IANA names, 'UTC'); false for offsets such as '+01:00' and for anything else. */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() !== tz || tz === '' || /^[+\-\u2212\d]/.test(tz)) return false;
  const known = knownZones.get(tz);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    valid = true;
  } catch {
    valid = false;
  }
  if (knownZones.size >= 1000) knownZones.clear();
  knownZones.set(tz, valid);
  return valid;
}

let zoneChoices: readonly string[] | undefined;

/** Every zone the runtime knows (IANA names, UTC first): what the time-zone fields suggest. */
export function timeZoneChoices(): readonly string[] {
  zoneChoices ??= Object.freeze(['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]);
  return zoneChoices;
}

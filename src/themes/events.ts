// What the themes tell the rest of the app: a set's themes were recomputed ('updated'). What that causes
// is the table in src/consequences.ts.
import { eventChannel } from '../lib/events.ts';
import type { ThemeSet } from './types.ts';

export interface ThemesEvent {
  readonly type: 'updated';
  readonly set: ThemeSet;
  readonly at: Date;
}

export const themeEvents = eventChannel<ThemesEvent>('themes');

// What an admin sends to register or change an endpoint, on the page and through the API: one schema
// each, so both refuse the same things with the same words.
import { z } from 'zod';
import { hookEventTypes, type HookEventType } from './events.ts';

const known = new Set<string>(hookEventTypes);

export const endpointUrl = z
  .string({ error: 'Enter the URL that receives the events.' })
  .trim()
  .min(1, 'Enter the URL that receives the events.')
  .max(2000, 'Use at most 2000 characters.')
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'Enter a full http:// or https:// URL, such as https://hooks.example.com/debrief.')
  .refine(
    (v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''),
    'Leave credentials out of the URL: receivers check the signature instead.',
  )
  .refine((v) => !URL.canParse(v) || new URL(v).hash === '', 'Leave the #fragment out: it is never sent.');

export const endpointEvents = z
  .array(z.string().trim(), { error: 'Pick at least one event.' })
  .min(1, 'Pick at least one event.')
  .max(hookEventTypes.length * 2)
  .refine((list) => list.every((e) => known.has(e)), { error: `Unknown event: use ${hookEventTypes.join(', ')}.` })
  .transform((list): HookEventType[] => hookEventTypes.filter((e) => list.includes(e)));

export const endpointDescription = z.string().trim().max(200, 'Use at most 200 characters.').optional().default('');

export const endpointInput = z.object({ url: endpointUrl, description: endpointDescription, events: endpointEvents }).strict();
export type EndpointInput = z.input<typeof endpointInput>;

/** A checkbox group arrives as nothing, one string or a list of strings. */
const checkboxes = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), endpointEvents);

export const endpointForm = z.object({ _csrf: z.string().optional(), url: endpointUrl, description: endpointDescription, events: checkboxes }).strict();

export const endpointIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not a webhook endpoint id.') });

export const settingsForm = z
  .object({ _csrf: z.string().optional(), allowPrivateAddresses: z.enum(['yes', 'no'], { error: 'Choose yes or no.' }) })
  .strict()
  .transform((v) => v.allowPrivateAddresses === 'yes');

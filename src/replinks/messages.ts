// What the rep's link pages say outside the forms themselves, in one place. `who`: whom to write to,
// named in the sentence (the interviewer, else the company's address).
const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const when = (d: Date) => day.format(d);

export const messages = {
  unknownTitle: 'This link does not open anything',
  unknown: 'It may be incomplete: copy the whole address from the email and try again.',
  tooManyTitle: 'Too many tries',
  tooMany: 'This address tried too many links in a short time. Please wait a few minutes and try again.',
  foreignOrigin: 'This form can only be sent from its own page. Go back to the link in your email and try again.',
  writeTo: (who: string) => `To sort it out, write to ${who}:`,

  notYoursTitle: 'This link no longer works for you',
  notYours: (deal: string) => `${deal} has another owner in Debrief now, or your account was closed, so its links stopped working.`,

  holdOffExpiredTitle: 'The hold-off window has closed',
  holdOffExpired: (contact: string, until: Date) => `The interview with ${contact} could be held off until ${when(until)}. It goes ahead as planned.`,
  holdOffExpiredWriteTo: (who: string) => `If the timing is still a problem, write to ${who}:`,
  heldTitle: 'Held off',
  held: (contact: string, by: string | null, at: Date | null) =>
    `${contact} will not be invited: the interview is held off${by ? ` by ${by}` : ''}${at ? ` (${when(at)})` : ''}. The interviewer can see the reason.`,
  heldWriteTo: (who: string) => `To invite the buyer after all, write to ${who}:`,
  sentTitle: 'Too late to hold off',
  sent: (contact: string) => `${contact} has already been invited, so the interview can no longer be held off.`,
  sentWriteTo: (who: string) => `If the timing is a problem, write to ${who}:`,
  notAskedTitle: 'Nothing to hold off',
  notAsked: (contact: string) => `${contact} will not be asked for an interview about this deal.`,

  debriefExpiredTitle: 'This link has expired',
  debriefExpired: (days: number) =>
    `Links to give your view work for ${days} days after the email. If you have a Debrief account, sign in and open the deal; if not, ask for a new link.`,
  debriefExpiredWriteTo: (who: string) => `To give your view now, write to ${who}:`,
  notLostTitle: 'The deal has moved on',
  notLost: (deal: string) => `${deal} was reopened, or decided the other way since, so there is nothing to explain on this link.`,

  debriefSaved: (until: Date) => `Thank you: your view is kept beside the buyer’s. You can change it with this link until ${when(until)}.`,
} as const;

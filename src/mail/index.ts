// The mail feature's face for the rest of the app: rendering an email from its template (the outbox, the
// set-up checklist's test message) and the header that marks mail meant for its addressee alone.
export { renderEmail, type RenderedEmail } from './render.ts';
export { addresseeOnlyHeader } from './model.ts';

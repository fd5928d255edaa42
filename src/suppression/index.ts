// The suppression list's face for the rest of the app: whether an address may be written to, adding one
// (a bounce, a complaint), and the unsubscribe link and headers every buyer email carries.
export { isSuppressed, suppressAddress, unsubscribeHeaders, unsubscribeUrl } from './service.ts';

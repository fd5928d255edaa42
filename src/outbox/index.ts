// The outbox's face for the rest of the app: planning an email (a digest, a notice to admins), sending an
// invitation now (the API, the test invitation), and the email settings (the company name buyers know).
export { scheduleEmail, sendInvitationNow } from './schedule.ts';
export { emailSettingsSaved, loadEmailSettings } from './settings.ts';

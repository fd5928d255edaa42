// The rep links' face for the rest of the app: making the links the rep's emails carry (the outbox).
export { debriefLinkDays, issueRepLink, repLinkUrl } from './service.ts';

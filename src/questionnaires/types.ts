// Small shared types of the questionnaire feature.
import type { quotePermissions } from '../interviews/model.ts';

export type QuotePermission = (typeof quotePermissions)[number];

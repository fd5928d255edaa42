// The set-up checklist: what other features may use.
export { checklistDismissed, overviewChecklist, setupChecklist, type Checklist, type ChecklistDeps } from './checklist.ts';
export { setupChecklistRouter } from './routes.ts';

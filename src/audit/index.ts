// What other features may use of src/audit: its face. Other features import only this file.
export { audit, auditActions, listAudit, type Actor } from './service.ts';

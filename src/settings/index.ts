// What other features may use of src/settings: its face. Other features import only this file.
export { saveWorkspaceSettings, workspaceSettings } from './model.ts';

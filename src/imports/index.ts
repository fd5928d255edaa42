// What other features may use of src/imports: its face. Other features import only this file.
export { ImportRun } from './model.ts';

// What other features may use of src/system: its face. Other features import only this file.
export { Marker } from './model.ts';
export { claimMarker, latestHeartbeat } from './service.ts';

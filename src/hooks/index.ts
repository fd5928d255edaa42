// The outgoing webhooks feature's face for the rest of the app: the consequences the events table
// (src/consequences.ts) publishes with, the events' names, the endpoints' service and schemas (the API),
// the address setting (the digest's chat post) and the buyer data it holds (privacy).
export { hookEventLabels, hookEventTypes, type HookEventType } from './events.ts';
export { publishHookEvent, type HookEventInput } from './publish.ts';
export { hookSettings } from './model.ts';
export { publishInterviewHook, publishThemesHook } from './consequences.ts';
export { endpointInput } from './schemas.ts';
export { hookEventsBuyerData } from './privacy.ts';
export {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  recentDeliveries,
  sendTestEvent,
  setEndpointState,
  updateEndpoint,
  type DeliveryRow,
  type EndpointView,
} from './service.ts';

// What other features may use of src/privacy: the registry's API, to describe what they hold about a
// buyer (src/<feature>/privacy.ts). Only the registry: the service imports the parts, and so the features,
// so exporting it here would close a circle.
export { buyerData, erasedContact, erasedContactFilter, erasedEmail, erasedName } from './registry.ts';
export type { BuyerDataPart, Erasure, Expiry } from './registry.ts';

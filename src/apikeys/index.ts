// What other features may use of src/apikeys: its face. Other features import only this file.
export { ApiKey } from './model.ts';
export { apiKeyScopes, type ApiKeyScope } from './schemas.ts';
export { authenticateApiKey, type ApiKeyView } from './service.ts';

export { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./keys";
export {
  apiKeyIdParamsSchema,
  apiKeyListSchema,
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  revokedApiKeySchema,
  type CreateApiKeyInput,
  type PublicApiKey,
} from "./schemas";

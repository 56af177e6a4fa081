export { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./keys";
export {
  apiKeyIdParamsSchema,
  apiKeyListSchema,
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  type CreateApiKeyInput,
  type PublicApiKey,
} from "./schemas";

import { z } from "zod";
import { intParam, isPlainText } from "@/lib/http/params";

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(80).refine(isPlainText, "contains invalid characters"),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const apiKeyIdParamsSchema = z.object({ id: intParam(1, 2_147_483_647) });

// What an admin sees about a key; never the key or its hash.
export const apiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the key, to recognise it" }),
    createdBy: z.number().int().nullable(),
    createdByEmail: z.string().nullable(),
    createdAt: z.number().int(),
    lastUsedAt: z.number().int().nullable(),
    revokedAt: z.number().int().nullable(),
  })
  .meta({ id: "ApiKey" });
export type PublicApiKey = z.infer<typeof apiKeySchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });
export const revokedApiKeySchema = z.object({ apiKey: apiKeySchema });
export const createdApiKeySchema = z.object({
  key: z.string().meta({ description: "The API key. Shown only in this response; store it now." }),
  apiKey: apiKeySchema,
});

import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { affectedRows, getDb } from "@/lib/db";
import { apiKeys, users } from "@/lib/db/schema";
import { ApiError } from "@/lib/http/errors";
import { createApiKeySchema, type PublicApiKey } from "./schemas";

const KEY_PREFIX = "mk_";
const KEY_SHAPE = /^mk_[A-Za-z0-9_-]{43}$/; // mk_ + 32 random bytes in base64url
const PREFIX_LENGTH = KEY_PREFIX.length + 8;
// lastUsedAt is for "is this key still in use?", not an audit log: one write a minute per key is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdBy: apiKeys.createdBy,
  createdByEmail: users.email,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

function selectPublic() {
  return getDb().select(publicColumns).from(apiKeys).leftJoin(users, eq(users.id, apiKeys.createdBy));
}

/**
 * Create a key for machine clients. Returns the plaintext key — the only time it exists: the
 * database keeps its SHA-256 (a 256-bit random key needs no slow hash) and a short prefix.
 */
export async function createApiKey(name: string, createdBy: number | null): Promise<{ key: string; apiKey: PublicApiKey }> {
  const input = createApiKeySchema.parse({ name });
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const [{ id }] = await getDb()
    .insert(apiKeys)
    .values({ name: input.name, prefix: key.slice(0, PREFIX_LENGTH), keyHash: hashKey(key), createdBy })
    .returning({ id: apiKeys.id });
  const [apiKey] = await selectPublic().where(eq(apiKeys.id, id));
  return { key, apiKey };
}

/** Every key, newest first, revoked ones included. */
export async function listApiKeys(): Promise<PublicApiKey[]> {
  return selectPublic().orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revoke a key for good. Revoking twice keeps the first revocation time. */
export async function revokeApiKey(id: number): Promise<PublicApiKey> {
  const db = getDb();
  await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  const [apiKey] = await selectPublic().where(eq(apiKeys.id, id));
  if (!apiKey) throw new ApiError("not_found", "No API key with that id.");
  return apiKey;
}

/**
 * The key a bearer token belongs to, or null for anything else (malformed, unknown, revoked).
 * Accepts the token with or without a leading "Bearer ". Records when the key was last used.
 */
export async function verifyApiKey(bearer: string | null | undefined): Promise<PublicApiKey | null> {
  const token = bearer?.trim().replace(/^Bearer\s+/i, "");
  if (!token || !KEY_SHAPE.test(token)) return null;
  // Looked up by hash: comparing hashes leaks nothing useful about the key itself.
  const [apiKey] = await selectPublic().where(eq(apiKeys.keyHash, hashKey(token)));
  if (!apiKey || apiKey.revokedAt !== null) return null;
  const now = Date.now();
  const changed = affectedRows(
    await getDb()
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, apiKey.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS)))),
  );
  return changed ? { ...apiKey, lastUsedAt: now } : apiKey;
}

export { enforceRateLimit, pruneRateLimits, rateLimit, rateLimitHeaders, type RateLimitResult } from "./fixed-window";

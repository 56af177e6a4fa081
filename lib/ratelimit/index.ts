export { enforceRateLimit, pruneRateLimits, rateLimit, rateLimitHeaders, uncountAttempt, type RateLimitResult } from "./fixed-window";
export { API_WINDOW_MS, clientIp, limitPublicApi } from "./api";
export { countSharedWindow, resetSharedWindows } from "./shared-window";

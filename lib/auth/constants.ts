// Plain values the client forms need too (kept free of zod and server imports).
export const MIN_PASSWORD_LENGTH = 8;
// scrypt cost does not grow with length, but nobody needs a 1 MB password.
export const MAX_PASSWORD_LENGTH = 200;

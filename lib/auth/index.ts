// Server-side auth helpers for pages and route handlers. (Forms use ./actions directly.)
export type { SessionUser } from "./accounts";
export { getCaller, requireCaller, type Caller } from "./caller";
export { getSessionUser, requireAdmin, requireAdminPage, requireUser, requireUserPage } from "./guards";
export { signInPath } from "./paths";
export type { Role } from "./roles";

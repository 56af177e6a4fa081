/**
 * Whether an `Authorization` header uses the Bearer scheme (an API key, or a malformed attempt at
 * one, which is then refused as an invalid key). Any other scheme, such as the `Basic` a proxy's
 * login makes a browser send on every request, is not ours. One test for the caller lookup and the
 * cross-site check, so they never disagree on what counts as a key request.
 */
export function isBearerAuthorization(header: string | null): header is string {
  return header !== null && /^Bearer(\s|$)/i.test(header);
}

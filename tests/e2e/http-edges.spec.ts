import net from "node:net";
import { expect, test } from "@playwright/test";

// What reaches Next's router before any route handler: paths the in-process handler tests
// (tests/api) cannot send. Each answer is a 4xx with the API's error body, never a 500.

test("a path with a malformed %-escape is a 400, not Next's bare 500", async ({ request }) => {
  for (const path of ["/api/movies/%ZZ", "/api/recommend/%E0%A4%A", "/api/posters/%", "/api/movies/%C3%28/similar"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(400);
    expect(res.headers()["content-type"], path).toBe("application/json");
    expect(res.headers()["x-request-id"], path).toBeTruthy();
    expect((await res.json()).error.code, path).toBe("bad_request");
  }
  const page = await request.get("/movies/%ZZ");
  expect(page.status()).toBe(400);
  expect(await page.text()).toContain("malformed");
  // well-formed escapes still reach the route: %36%30%33 is "603"
  const escaped = await request.get("/api/movies/%36%30%33");
  expect(escaped.status()).toBe(200);
  expect((await escaped.json()).id).toBe(603);
  // and the proxy still does its admin job: a signed-out visitor is sent to sign in
  const admin = await request.get("/admin", { maxRedirects: 0 });
  expect(admin.status()).toBe(307);
  expect(admin.headers().location).toContain("/signin");
});

test("TRACE and the request target * get an answer, not Next's bare 500 (lib/http/early-refusals.ts)", async ({ request, baseURL }) => {
  for (const path of ["/api/movies", "/"]) {
    const res = await request.fetch(path, { method: "TRACE" });
    expect(res.status(), path).toBe(501);
    expect(res.headers()["x-request-id"], path).toBeTruthy();
    expect((await res.json()).error.code, path).toBe("not_implemented");
  }
  // "OPTIONS * HTTP/1.1" cannot be sent through a URL-based client
  const { hostname, port } = new URL(baseURL!);
  const head = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end("OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data.split("\r\n\r\n")[0].toLowerCase()));
    socket.on("error", reject);
  });
  expect(head).toMatch(/^http\/1\.1 204/);
  expect(head).toContain("allow: get, head, post, put, patch, delete, options");
});

test("a path with a %-encoded dot segment is a 400, not served as another path; early answers keep the caller's request id", async ({ baseURL }) => {
  // Sent raw: a URL-based client would resolve the dots itself
  const { hostname, port } = new URL(baseURL!);
  const send = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => socket.end(`${line}\r\nHost: x\r\nX-Request-Id: edge-42\r\nConnection: close\r\n\r\n`));
      let data = "";
      socket.on("data", (chunk) => (data += chunk));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
  // was: 200 from /api/genres, with a public cache header
  const dots = await send("GET /api/movies/%2e%2e/genres HTTP/1.1");
  expect(dots).toMatch(/^HTTP\/1\.1 400/);
  expect(dots.toLowerCase()).toContain("x-request-id: edge-42\r\n");
  expect(JSON.parse(dots.split("\r\n\r\n")[1]).error.code).toBe("bad_request");
  // was: a new UUID in place of the caller's id
  expect((await send("TRACE /api/movies HTTP/1.1")).toLowerCase()).toContain("x-request-id: edge-42\r\n");
});

/** A redirect's target without its origin (the proxy's redirects are absolute, the layouts' relative). */
const pathAndQuery = (location: string) => {
  const url = new URL(location, "http://relative.invalid");
  return `${url.pathname}${url.search}`;
};

test("a signed-out visitor to an account page gets a real redirect to sign in, not a 200", async ({ request }) => {
  const cases: [string, string][] = [
    ["/me/ratings", "/me/ratings"],
    ["/me/watchlist?page=2", "/me/watchlist?page=2"],
    ["/onboarding?next=%2Fmovies%2F603", "/onboarding?next=%2Fmovies%2F603"],
  ];
  for (const [path, callback] of cases) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(pathAndQuery(res.headers().location), path).toBe(`/signin?${new URLSearchParams({ callbackUrl: callback })}`);
  }
  // /me is the account page (was: a 404): signed out, that is where sign-in comes back to
  const me = await request.get("/me", { maxRedirects: 0 });
  expect(me.status()).toBe(307);
  expect(pathAndQuery(me.headers().location)).toBe("/me/account");
  const account = await request.get("/me/account", { maxRedirects: 0 });
  expect(pathAndQuery(account.headers().location)).toBe("/signin?callbackUrl=%2Fme%2Faccount");
  // a caller cannot choose the callback: it comes from the requested path
  const forged = await request.get("/me/ratings", { maxRedirects: 0, headers: { "x-matinee-path": "/admin" } });
  expect(pathAndQuery(forged.headers().location)).toBe("/signin?callbackUrl=%2Fme%2Fratings");
});

test("an unknown /api path is a 404 with the error body, for every method", async ({ request }) => {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
    const res = await request.fetch("/api/no/such/route", { method, data: ["GET", "OPTIONS"].includes(method) ? undefined : {} });
    expect(res.status(), method).toBe(404);
    expect((await res.json()).error.code, method).toBe("not_found");
  }
  // /api itself too (the catch-all is optional: [[...path]]); it used to be the HTML 404 page
  const root = await request.get("/api");
  expect(root.status()).toBe(404);
  expect((await root.json()).error.code).toBe("not_found");
  // pages keep the HTML not-found page
  const page = await request.get("/no-such-page");
  expect(page.status()).toBe(404);
  expect(page.headers()["content-type"]).toContain("text/html");
});

test("a method a route does not serve is a 405 with the error body and Allow", async ({ request }) => {
  const cases: [string, string, string][] = [
    ["POST", "/api/recommend?userId=1", "GET, HEAD, OPTIONS"],
    ["DELETE", "/api/movies/603", "GET, HEAD, OPTIONS"],
    ["GET", "/api/auth/signup", "POST, OPTIONS"],
    ["PUT", "/api/interactions", "POST, DELETE, OPTIONS"],
  ];
  for (const [method, path, allow] of cases) {
    const res = await request.fetch(path, { method, data: method === "GET" ? undefined : {} });
    expect(res.status(), `${method} ${path}`).toBe(405);
    expect(res.headers().allow, `${method} ${path}`).toBe(allow);
    expect((await res.json()).error.code, `${method} ${path}`).toBe("method_not_allowed");
  }
  const options = await request.fetch("/api/recommend", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers().allow).toBe("GET, HEAD, OPTIONS");
  // HEAD still answers from GET
  const head = await request.head("/api/genres");
  expect(head.status()).toBe(200);
});

test("robots.txt keeps crawlers on the catalog pages", async ({ request }) => {
  const res = await request.get("/robots.txt");
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/User-Agent: \*/i);
  expect(text).toMatch(/^Allow: \/$/m);
  for (const path of ["/api/", "/admin", "/me/"]) expect(text).toContain(`Disallow: ${path}`);
});

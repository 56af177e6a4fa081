import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DELETE, GET, HEAD, OPTIONS, POST, PUT } from "@/app/api/auth/[...nextauth]/route";
import { eq } from "drizzle-orm";
import { signOutEverywhere } from "@/lib/account/settings";
import { registerAccount } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db";
import { users } from "@/lib/db/schema";
import { SIGN_IN_LIMIT } from "@/lib/auth/limits";
import { resetEnvForTests } from "@/lib/env";
import { route } from "@/lib/http/route";
import { untilWindowHasLeft } from "../helpers/ratelimit";
import { useTempDb } from "../helpers/temp-db";

// The real Auth.js handlers, in-process: CSRF token, credentials callback, session cookie.
const BASE = "http://127.0.0.1:3000/api/auth";

let tmp: ReturnType<typeof useTempDb>;
beforeAll(async () => {
  process.env.AUTH_SECRET = "test-secret-test-secret-test-secret";
  tmp = useTempDb(); // also re-reads the env
  await registerAccount({ email: "ada@example.com", password: "analytical-engine" });
});
afterAll(() => tmp.cleanup());

function cookieHeader(res: Response, previous = ""): string {
  const jar = new Map(previous ? previous.split("; ").map((c) => c.split("=", 2) as [string, string]) : []);
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

async function signIn(email: string, password: string, ip = "203.0.113.5") {
  const csrfRes = await GET(new NextRequest(`${BASE}/csrf`));
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookies = cookieHeader(csrfRes);
  const res = await POST(
    new NextRequest(`${BASE}/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies, "x-forwarded-for": ip },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
    }),
  );
  return { res, cookies: cookieHeader(res, cookies) };
}

function path(res: Response): string {
  const url = new URL(res.headers.get("location")!);
  return url.pathname + url.search;
}

async function session(cookies: string) {
  return (await GET(new NextRequest(`${BASE}/session`, { headers: { cookie: cookies } }))).json();
}

describe("password sign-in through Auth.js", () => {
  it("sets a session cookie whose session carries our user id and role", async () => {
    const { res, cookies } = await signIn("ada@example.com", "analytical-engine");
    expect(res.status).toBe(302);
    expect(path(res)).toBe("/");
    expect(cookies).toMatch(/authjs\.session-token=/);
    const s = await session(cookies);
    // our ids, the role and the session version; no email or name for whoever holds the cookie
    expect(s.user).toEqual({ id: expect.stringMatching(/^[1-9]\d*$/), role: "admin", sv: 0, sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("signing out ends the session for a copy of its cookie too, not the account's other sessions", async () => {
    const first = await signIn("ada@example.com", "analytical-engine", "203.0.113.61");
    const second = await signIn("ada@example.com", "analytical-engine", "203.0.113.62");
    const csrfRes = await GET(new NextRequest(`${BASE}/csrf`, { headers: { cookie: first.cookies } }));
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const cookies = cookieHeader(csrfRes, first.cookies);
    const res = await POST(
      new NextRequest(`${BASE}/signout`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
        body: new URLSearchParams({ csrfToken, callbackUrl: "/" }),
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().join()).toMatch(/authjs\.session-token=;/);
    // was: the copy kept before signing out still read as signed in until it expired (30 days)
    expect(await session(first.cookies)).toBeNull();
    expect((await session(second.cookies)).user).toMatchObject({ role: "admin" });
  });

  it("sends a wrong password and an unknown email to the same sign-in error, with no session", async () => {
    const wrong = await signIn("ada@example.com", "difference-engine");
    const unknown = await signIn("nobody@example.com", "analytical-engine");
    for (const { res, cookies } of [wrong, unknown]) {
      expect(res.status).toBe(302);
      expect(path(res)).toBe("/signin?error=CredentialsSignin&code=credentials");
      expect(cookies).not.toMatch(/session-token/);
    }
  });

  it(`answers 429 with Retry-After after ${SIGN_IN_LIMIT.limit} attempts for one email + IP, without checking the password`, async () => {
    await untilWindowHasLeft(SIGN_IN_LIMIT.windowMs, 15_000); // 11 password checks take ~1 s
    for (let i = 0; i < SIGN_IN_LIMIT.limit; i++) await signIn("target@example.com", `guess-${i}`, "198.51.100.9");
    const { res, cookies } = await signIn("target@example.com", "guess-final", "198.51.100.9");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("ratelimit-policy")).toBe(`"signin";q=${SIGN_IN_LIMIT.limit};w=${SIGN_IN_LIMIT.windowMs / 1000}`);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(cookies).not.toMatch(/session-token/);
    // The real owner on another address still gets in.
    expect((await signIn("ada@example.com", "analytical-engine", "198.51.100.10")).res.status).toBe(302);
  });
});

describe("the session Auth.js serves, for a session the app no longer accepts", () => {
  it("is null, and its cookie cleared rather than renewed, once the account signed out everywhere; a new sign-in shows again", async () => {
    const grace = await registerAccount({ email: "grace-everywhere@example.com", password: "compiler-first" });
    const first = await signIn("grace-everywhere@example.com", "compiler-first");
    const before = await GET(new NextRequest(`${BASE}/session`, { headers: { cookie: first.cookies } }));
    expect((await before.json()).user).toMatchObject({ id: String(grace.id) });
    expect(before.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="))).toMatch(/Expires=(?!Thu, 01 Jan 1970)/);

    await signOutEverywhere(grace.id);
    const after = await GET(new NextRequest(`${BASE}/session`, { headers: { cookie: first.cookies } }));
    expect(after.status).toBe(200);
    expect(await after.json()).toBeNull();
    const cleared = after.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="));
    expect(cleared).toMatch(/^authjs\.session-token=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/HttpOnly/i);
    const head = await HEAD(new NextRequest(`${BASE}/session`, { method: "HEAD", headers: { cookie: first.cookies } }));
    expect(head.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="))).toMatch(/Max-Age=0/);

    const again = await signIn("grace-everywhere@example.com", "compiler-first");
    expect((await session(again.cookies)).user).toMatchObject({ id: String(grace.id), sv: 1 });
  });

  it("is null for a deleted account's session", async () => {
    const gone = await registerAccount({ email: "gone@example.com", password: "soon-deleted" });
    const { cookies } = await signIn("gone@example.com", "soon-deleted");
    await getDb().delete(users).where(eq(users.id, gone.id));
    expect(await session(cookies)).toBeNull();
  });
});

describe("the sign-in limit counts failed attempts only", () => {
  const ip = "198.51.100.21";
  it(`lets the owner sign in more than ${SIGN_IN_LIMIT.limit} times from one address`, async () => {
    await untilWindowHasLeft(SIGN_IN_LIMIT.windowMs, 20_000);
    for (let i = 0; i <= SIGN_IN_LIMIT.limit + 1; i++) {
      const { res, cookies } = await signIn("ada@example.com", "analytical-engine", ip);
      expect(res.status, `sign-in ${i + 1}`).toBe(302);
      expect(cookies).toMatch(/authjs\.session-token=/);
    }
  });

  it("a right password in between does not wipe the wrong ones before it", async () => {
    await untilWindowHasLeft(SIGN_IN_LIMIT.windowMs, 20_000);
    const half = SIGN_IN_LIMIT.limit / 2;
    for (let i = 0; i < half; i++) await signIn("ada@example.com", `typo-${i}`, "198.51.100.22");
    expect((await signIn("ada@example.com", "analytical-engine", "198.51.100.22")).res.status).toBe(302);
    for (let i = half; i < SIGN_IN_LIMIT.limit; i++) await signIn("ada@example.com", `typo-${i}`, "198.51.100.22");
    expect((await signIn("ada@example.com", "analytical-engine", "198.51.100.22")).res.status).toBe(429);
  });
});

describe("the sign-in limit keys on the credentials Auth.js checks", () => {
  // Auth.js reads a form body with Object.fromEntries (a repeated field's LAST value) and a JSON
  // body with JSON.parse (likewise the last): a limit keyed on any other value could be walked
  // past by naming a fresh decoy email first and the victim last.
  const VICTIM = "victim@example.com";
  const RIGHT = "victims-own-password";
  beforeAll(async () => {
    await registerAccount({ email: VICTIM, password: RIGHT });
  });

  /** A form body, fields as given (a name may repeat); the CSRF token comes first. */
  const form = (...pairs: [string, string][]) => ({ type: "application/x-www-form-urlencoded", text: `csrfToken=CSRF&${new URLSearchParams(pairs)}&callbackUrl=%2F` });
  const json = (text: string) => ({ type: "application/json", text });

  async function postCredentials(body: { type: string; text: string }, ip: string, pathSuffix = "") {
    const csrfRes = await GET(new NextRequest(`${BASE}/csrf`));
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const cookies = cookieHeader(csrfRes);
    const res = await POST(
      new NextRequest(`${BASE}/callback/credentials${pathSuffix}`, {
        method: "POST",
        headers: { "content-type": body.type, cookie: cookies, "x-forwarded-for": ip },
        body: body.text.replace("CSRF", encodeURIComponent(csrfToken)),
      }),
    );
    return { res, cookies: cookieHeader(res, cookies) };
  }

  it("refuses a body that repeats email or password with 400 naming the field, without checking the password", async () => {
    const cases: [{ type: string; text: string }, string][] = [
      [form(["email", "decoy-1@example.com"], ["email", VICTIM], ["password", RIGHT]), "email"],
      [form(["email", VICTIM], ["email", "decoy-2@example.com"], ["password", RIGHT]), "email"],
      [form(["email", VICTIM], ["password", "wrong-guess"], ["password", RIGHT]), "password"],
      // a percent-encoded field name is the same field once decoded
      [{ type: "application/x-www-form-urlencoded", text: `csrfToken=CSRF&email=decoy-3%40example.com&%65mail=${encodeURIComponent(VICTIM)}&password=${RIGHT}` }, "email"],
      [json(`{"csrfToken":"CSRF","email":"decoy-4@example.com","email":"${VICTIM}","password":"${RIGHT}"}`), "email"],
    ];
    for (const [body, name] of cases) {
      const { res, cookies } = await postCredentials(body, "198.51.100.31");
      expect(res.status, body.text).toBe(400);
      const answer = (await res.json()) as { error: { code: string; details: unknown } };
      expect(answer.error.code).toBe("bad_request");
      expect(answer.error.details).toEqual({ fields: { [name]: ["must be given at most once"] } });
      expect(cookies).not.toMatch(/session-token/);
    }
  });

  it("signs in with a JSON body too (as Auth.js reads one)", async () => {
    const { res, cookies } = await postCredentials(json(`{"csrfToken":"CSRF","email":"${VICTIM}","password":"${RIGHT}"}`), "198.51.100.32");
    expect(res.status).toBe(302);
    expect(cookies).toMatch(/authjs\.session-token=/);
  });

  it(`keeps the right password out past ${SIGN_IN_LIMIT.limit} wrong ones, whatever decoys ride along or however the request is written`, async () => {
    await untilWindowHasLeft(SIGN_IN_LIMIT.windowMs, 15_000);
    const ip = "198.51.100.33";
    for (let i = 0; i < SIGN_IN_LIMIT.limit; i++) {
      expect((await postCredentials(form(["email", VICTIM], ["password", `guess-${i}`]), ip)).res.status).toBe(302);
    }
    const attempts: [{ type: string; text: string }, string?][] = [
      [form(["email", VICTIM], ["password", RIGHT])],
      [form(["email", "decoy-9@example.com"], ["email", VICTIM], ["password", RIGHT])],
      [form(["email", ` ${VICTIM.toUpperCase()} `], ["password", RIGHT])],
      [json(`{"csrfToken":"CSRF","email":"${VICTIM}","password":"${RIGHT}"}`)],
      [json(`{"csrfToken":"CSRF","email":"decoy-9@example.com","email":"${VICTIM}","password":"${RIGHT}"}`)],
      // Auth.js drops empty path segments: these are the same action
      [form(["email", VICTIM], ["password", RIGHT]), "/"],
    ];
    for (const [body, suffix] of attempts) {
      const { res, cookies } = await postCredentials(body, ip, suffix);
      expect([400, 429], body.text).toContain(res.status);
      expect(cookies).not.toMatch(/session-token/);
    }
  });
});

describe("cross-site requests and the session cookie Auth.js sets", () => {
  it("the route wrapper knows the session cookie by the name Auth.js gives it, and leaves Auth.js's own routes to their CSRF token", async () => {
    const { cookies } = await signIn("ada@example.com", "analytical-engine", "203.0.113.90");
    expect(cookies).toMatch(/authjs\.session-token=/);
    const changeSomething = route(() => Response.json({ changed: true }));
    const from = (origin: string) => changeSomething(new Request("http://127.0.0.1:3000/api/x", { method: "POST", headers: { cookie: cookies, origin } })) as Response;
    expect(from("https://evil.example").status).toBe(403);
    expect(from("http://127.0.0.1:3000").status).toBe(200);
    // Auth.js answers another site's sign-out itself (no CSRF token: no sign-out), not the wrapper
    const res = await POST(
      new NextRequest(`${BASE}/signout`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies, origin: "https://evil.example" },
        body: "callbackUrl=%2F",
      }),
    );
    expect(res.status).not.toBe(403);
    expect(res.headers.getSetCookie().join()).not.toMatch(/authjs\.session-token=;/);
  });
});

describe("Auth.js routes and the API's error contract", () => {
  it("answers an unknown Auth.js action with the standard 400 error body and x-request-id", async () => {
    for (const res of [
      await GET(new NextRequest(`${BASE}/no-such-action`)),
      await POST(new NextRequest(`${BASE}/no-such-action`, { method: "POST" })),
    ]) {
      expect(res.status).toBe(400);
      expect(res.headers.get("x-request-id")).toBeTruthy();
      const body = await res.json();
      expect(body.error).toMatchObject({ code: "bad_request", message: expect.any(String) });
    }
  });

  it("never shows Auth.js's own HTML pages: each is one of the app's pages", async () => {
    // was: GET /signout and /verify-request were Auth.js's unstyled pages (the latter claiming an
    // email link had been sent, with no email provider)
    const where = async (path: string, init?: { method?: string }) => {
      const res = init?.method === "HEAD" ? await HEAD(new NextRequest(`${BASE}${path}`, { method: "HEAD" })) : await GET(new NextRequest(`${BASE}${path}`));
      expect(res.status, path).toBe(302);
      expect(res.headers.get("content-type") ?? "", path).not.toMatch(/html/);
      const url = new URL(res.headers.get("location")!, "http://127.0.0.1:3000");
      expect(url.origin, path).toBe("http://127.0.0.1:3000");
      return url.pathname + url.search;
    };
    expect(await where("/signout")).toBe("/signout");
    expect(await where("/signout", { method: "HEAD" })).toBe("/signout");
    expect(await where("/verify-request")).toBe("/signin");
    expect(await where("/signin")).toMatch(/^\/signin\?callbackUrl=/);
    expect(await where("/error?error=Configuration")).toBe("/signin?error=Configuration");
    expect(await where("/error")).toBe("/signin?error=undefined");
  });

  it("leaves Auth.js's own answers alone (csrf, session)", async () => {
    const csrf = await GET(new NextRequest(`${BASE}/csrf`));
    expect(csrf.status).toBe(200);
    expect((await csrf.json()).csrfToken).toEqual(expect.any(String));
    expect(await session("")).toBeNull();
  });

  it("logs what a client's request causes in one line, not a stack trace (a forged session cookie, an unknown action)", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const res = await GET(new NextRequest(`${BASE}/session`, { headers: { cookie: "authjs.session-token=garbage" } }));
      expect(res.status).toBe(200);
      expect(await res.json()).toBeNull();
      await GET(new NextRequest(`${BASE}/no-such-action`));
      // providers that are not there, and a callback the credentials provider does not have
      // (were: stack traces, anyone's to add to the log)
      await GET(new NextRequest(`${BASE}/callback/nosuch?code=x`));
      await GET(new NextRequest(`${BASE}/signin/github`));
      await GET(new NextRequest(`${BASE}/callback/credentials`));
      expect(error).not.toHaveBeenCalled();
      const lines = warn.mock.calls.map((args) => args.join(" "));
      expect(lines).toEqual([
        expect.stringMatching(/^\[auth\] JWTSessionError: [^\n]+$/),
        expect.stringMatching(/^\[auth\] UnknownAction: [^\n]+$/),
        ...Array.from({ length: lines.length - 2 }, () => expect.stringMatching(/^\[auth\] (InvalidProvider|UnsupportedStrategy): [^\n]+$/)),
      ]);
      expect(lines.length).toBeGreaterThanOrEqual(4);
    } finally {
      error.mockRestore();
      warn.mockRestore();
    }
  });

  it("answers HEAD as GET would, without a body", async () => {
    const res = await HEAD(new NextRequest(`${BASE}/csrf`, { method: "HEAD" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.text()).toBe("");
    expect((await HEAD(new NextRequest(`${BASE}/no-such-action`, { method: "HEAD" }))).status).toBe(400);
  });

  it("refuses a body over 64 KB with 413, declared or streamed, before Auth.js reads it", async () => {
    const big = `email=${"a".repeat(70 * 1024)}`;
    const declared = await POST(
      new NextRequest(`${BASE}/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(big.length) },
        body: big,
      }),
    );
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("payload_too_large");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode("a".repeat(1024)));
        c.close();
      },
    });
    const streamed = await POST(
      new NextRequest(`${BASE}/signout`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]),
    );
    expect(streamed.status).toBe(413);
  });

  it("refuses the methods it does not serve with 405, the error body and Allow", async () => {
    for (const handler of [PUT, DELETE]) {
      const res = await handler(new NextRequest(`${BASE}/session`, { method: "PUT" }));
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
      expect((await res.json()).error.code).toBe("method_not_allowed");
    }
  });

  it("refuses GET or POST for an action served without it, with the action's own Allow; OPTIONS names them", async () => {
    // was: POST /csrf and GET /callback/credentials were Auth.js's 302 to /signin?error=Configuration
    const cases: [string, "GET" | "POST" | "HEAD" | "PUT", string][] = [
      ["/csrf", "POST", "GET, HEAD, OPTIONS"],
      ["/providers", "POST", "GET, HEAD, OPTIONS"],
      ["/error", "POST", "GET, HEAD, OPTIONS"],
      ["/callback/credentials", "GET", "POST, OPTIONS"],
      ["/callback//credentials/", "HEAD", "POST, OPTIONS"],
      ["/csrf", "PUT", "GET, HEAD, OPTIONS"],
    ];
    const handlers = { GET, POST, HEAD, PUT };
    for (const [path, method, allow] of cases) {
      const res = await handlers[method](new NextRequest(`${BASE}${path}`, { method }));
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(res.headers.get("location"), `${method} ${path}`).toBeNull();
      if (method !== "HEAD") expect((await res.json()).error.code, `${method} ${path}`).toBe("method_not_allowed");
      const options = OPTIONS(new NextRequest(`${BASE}${path}`, { method: "OPTIONS" }));
      expect(options.status).toBe(204);
      expect(options.headers.get("allow"), `OPTIONS ${path}`).toBe(allow);
    }
    // what each is served with still reaches Auth.js
    expect((await GET(new NextRequest(`${BASE}/csrf`))).status).toBe(200);
    expect(OPTIONS(new NextRequest(`${BASE}/callback/github`, { method: "OPTIONS" })).headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(OPTIONS(new NextRequest(`${BASE}/session`, { method: "OPTIONS" })).headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    // a path naming no action is Auth.js's 400, whatever the method
    expect((await POST(new NextRequest(`${BASE}/no-such-action`, { method: "POST" }))).status).toBe(400);
  });
});

describe("Auth.js's own URLs follow the address the client used", () => {
  // Next hands route handlers a URL built from the address it listens on, and its NextURL writes
  // 127.0.0.1 as localhost; a browser behind a proxy, or on another name for the host, sent a
  // different Host.
  const providers = async (headers: Record<string, string>) =>
    ((await (await GET(new NextRequest(`${BASE}/providers`, { headers }))).json()) as { credentials: { callbackUrl: string } }).credentials.callbackUrl;
  const NEXTS_OWN = "http://localhost:3000/api/auth/callback/credentials";

  it("takes the Host header, or X-Forwarded-Host and X-Forwarded-Proto from a proxy", async () => {
    expect(await providers({})).toBe(NEXTS_OWN);
    // the address the browser used, where its session cookie will be
    expect(await providers({ host: "127.0.0.1:3000" })).toBe("http://127.0.0.1:3000/api/auth/callback/credentials");
    expect(await providers({ host: "movies.example.com" })).toBe("http://movies.example.com/api/auth/callback/credentials");
    expect(await providers({ host: "10.0.0.5:3000", "x-forwarded-host": "movies.example.com", "x-forwarded-proto": "https" })).toBe(
      "https://movies.example.com/api/auth/callback/credentials",
    );
  });

  it("ignores a Host that is more than an authority", async () => {
    for (const host of ["evil.example/x", "user@evil.example", "evil.example?a=1", "bad host"]) {
      expect(await providers({ host }), host).toBe(NEXTS_OWN);
    }
    expect(await providers({ host: "movies.example.com", "x-forwarded-proto": "javascript" })).toBe(NEXTS_OWN);
  });

  it("signs in and redirects on the client's address", async () => {
    const headers = { host: "movies.example.com" };
    const csrfRes = await GET(new NextRequest(`${BASE}/csrf`, { headers }));
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const cookies = cookieHeader(csrfRes);
    const res = await POST(
      new NextRequest(`${BASE}/callback/credentials`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookies, "x-forwarded-for": "203.0.113.77" },
        body: new URLSearchParams({ email: "ada@example.com", password: "analytical-engine", csrfToken, callbackUrl: "/me" }),
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://movies.example.com/me");
    expect(cookieHeader(res, cookies)).toMatch(/authjs\.session-token=/);
  });

  it("lets AUTH_URL win when it is set", async () => {
    process.env.AUTH_URL = "https://auth.example.org";
    resetEnvForTests();
    try {
      expect(await providers({ host: "movies.example.com" })).toBe("https://auth.example.org/api/auth/callback/credentials");
    } finally {
      delete process.env.AUTH_URL;
      resetEnvForTests();
    }
  });
});

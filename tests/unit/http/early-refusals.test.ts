import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installEarlyRefusals } from "@/lib/http/early-refusals";

// A real HTTP server with the guard installed on its prototype, as instrumentation.ts installs it
// on Next's. Raw sockets, because clients rewrite or refuse these requests themselves.

let server: http.Server;
let port: number;
const handled: string[] = [];

beforeAll(async () => {
  class Guarded extends http.Server {}
  installEarlyRefusals(Guarded.prototype);
  installEarlyRefusals(Guarded.prototype); // twice is once
  server = new Guarded((req, res) => {
    handled.push(`${req.method} ${req.url}`);
    res.end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function raw(requestLine: string, headers = ""): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.end(`${requestLine}\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`));
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head, body = ""] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body });
    });
  });
}

describe("early refusals (before Next)", () => {
  it("answers TRACE with 501 and the error body, on any path", async () => {
    for (const path of ["/api/movies", "/", "/movies/603"]) {
      const res = await raw(`TRACE ${path} HTTP/1.1`);
      expect(res.status, path).toBe(501);
      expect(res.headers).toContain("content-type: application/json");
      expect(res.headers).toMatch(/x-request-id: [0-9a-f-]{36}/);
      expect(JSON.parse(res.body)).toEqual({ error: { code: "not_implemented", message: "TRACE is not supported" } });
    }
  });

  it("answers OPTIONS * with the server's methods, and * with any other method with 400", async () => {
    const options = await raw("OPTIONS * HTTP/1.1");
    expect(options.status).toBe(204);
    expect(options.headers).toContain("allow: get, head, post, put, patch, delete, options");
    const get = await raw("GET * HTTP/1.1");
    expect(get.status).toBe(400);
    expect(JSON.parse(get.body).error.code).toBe("bad_request");
  });

  it("keeps the caller's x-request-id on these answers too (a sensible one), as every API answer does", async () => {
    // was: a fresh UUID, whatever the caller sent
    for (const line of ["TRACE /api/movies HTTP/1.1", "OPTIONS * HTTP/1.1", "GET * HTTP/1.1", "GET /api/movies/%2e%2e/genres HTTP/1.1"]) {
      expect((await raw(line, "X-Request-Id: my-trace-1\r\n")).headers, line).toContain("x-request-id: my-trace-1\r\n");
      expect((await raw(line, "X-Request-Id: no spaces allowed\r\n")).headers, line).toMatch(/x-request-id: [0-9a-f-]{36}/);
    }
  });

  it("refuses a path with a %-encoded dot segment, which Next would serve as another path", async () => {
    // was: /api/movies/%2e%2e/genres served /api/genres (the URL standard reads %2e%2e as ..)
    handled.length = 0;
    for (const target of ["/api/movies/%2e%2e/genres", "/api/movies/%2E%2e/recommend?userId=1", "/api/movies/.%2e", "/a/%2e/b", "/movies/%2e%2E"]) {
      const res = await raw(`GET ${target} HTTP/1.1`);
      expect(res.status, target).toBe(400);
      expect(JSON.parse(res.body).error, target).toMatchObject({ code: "bad_request", message: expect.stringContaining("%2e") });
    }
    expect(handled).toEqual([]);
    // %2e elsewhere, and plain dots, are Next's as before
    for (const target of ["/api/movies?query=%2e%2e", "/api/movies/%2e%2ex", "/search?query=a%2Eb", "/api/movies/../genres"]) {
      expect((await raw(`GET ${target} HTTP/1.1`)).status, target).toBe(200);
    }
  });

  it("hands every other request to the server's own handler, unchanged", async () => {
    handled.length = 0;
    for (const line of ["GET /api/movies HTTP/1.1", "OPTIONS /api/movies HTTP/1.1", "POST /api/interactions HTTP/1.1"]) {
      const res = await raw(line);
      expect(res.status, line).toBe(200);
      expect(res.body).toBe("next");
    }
    expect(handled).toEqual(["GET /api/movies", "OPTIONS /api/movies", "POST /api/interactions"]);
  });
});

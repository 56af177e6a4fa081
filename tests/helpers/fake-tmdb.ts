import http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "@/lib/simulate/random";

// A fake TMDB v3 API on 127.0.0.1 (random port) for crawl tests: deterministic popular pages,
// movie details with images, the genre list, Bearer auth, and injectable faults.

export const FAKE_TMDB_TOKEN = "test-token";

export const FAKE_GENRES = [
  { id: 28, name: "액션" },
  { id: 18, name: "드라마" },
  { id: 35, name: "코미디" },
  { id: 27, name: "공포" },
];

/** One canned misbehaviour, served to the next `times` requests whose path matches. */
export type Fault = {
  match: string | RegExp | ((path: string) => boolean);
  times?: number; // default 1; Infinity for always
  status?: number;
  headers?: Record<string, string>;
  /** Raw body to send instead of the real one (e.g. truncated JSON). */
  body?: string;
  /** Wait this long before answering (past the client's timeout = a timeout). */
  delayMs?: number;
};

export type RandomFaultKind = "429" | "500" | "timeout" | "truncated";

export type FakeRequest = {
  path: string;
  pathname: string;
  query: URLSearchParams;
  auth: string | undefined;
  at: number;
  /** The random fault served to this request, if any (see FakeTmdbOptions.randomFaults). */
  randomFault?: RandomFaultKind;
};

export type FakeTmdb = {
  /** API root to use as TMDB_BASE_URL, e.g. http://127.0.0.1:PORT/3 */
  baseUrl: string;
  requests: FakeRequest[];
  addFault(fault: Fault): void;
  /** Called for every request before it is answered. */
  onRequest?: (req: FakeRequest) => void;
  /** The movie ids the popular list serves on a page (duplicates from earlier pages included). */
  idsOnPage(page: number): number[];
  /** Every distinct movie id on pages 1..n. */
  distinctIds(pages: number): number[];
  close(): Promise<void>;
};

export type FakeTmdbOptions = {
  perPage?: number;
  totalPages?: number;
  token?: string;
  /** Repeat the first movie of page p-1 on page p, like a popular list shifting mid-crawl. */
  shiftingList?: boolean;
  /**
   * Misbehave on a share of requests, decided by a seeded generator in arrival order: 429 with
   * Retry-After, 500, an answer later than `timeoutMs` (the client's timeout), or a 200 whose
   * body stops half-way (Content-Length promises the whole body, then the connection is cut).
   */
  randomFaults?: { rate: number; seed: number; timeoutMs: number; retryAfter?: string; kinds?: RandomFaultKind[] };
};

export function fakeMovieId(page: number, index: number): number {
  return page * 100 + index + 1;
}

export function fakeMovieDetails(id: number) {
  const year = 1990 + (id % 35);
  return {
    adult: false,
    id,
    title: `영화 ${id}`,
    original_title: `Movie ${id}`,
    original_language: "en",
    overview: "",
    release_date: `${year}-0${1 + (id % 9)}-1${id % 10}`,
    runtime: 80 + (id % 70),
    popularity: 1000 / (id % 97 + 1),
    vote_average: (id % 90) / 10,
    vote_count: id * 3,
    poster_path: `/default-${id}.jpg`,
    genres: [FAKE_GENRES[id % 4], FAKE_GENRES[(id + 1) % 4]],
    budget: 0,
  };
}

function fakePosters(id: number) {
  return [
    { file_path: `/en-${id}.jpg`, iso_639_1: "en", vote_average: 5 },
    { file_path: `/ko-${id}.jpg`, iso_639_1: "ko", vote_average: 4 },
    { file_path: `/none-${id}.jpg`, iso_639_1: null, vote_average: 3 },
  ];
}

export async function startFakeTmdb(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const perPage = options.perPage ?? 5;
  const chaos = options.randomFaults;
  const random = mulberry32(chaos?.seed ?? 1);
  const faultKinds = chaos?.kinds ?? (["429", "500", "timeout", "truncated"] as RandomFaultKind[]);
  const totalPages = options.totalPages ?? 500;
  const token = options.token ?? FAKE_TMDB_TOKEN;
  const faults: (Fault & { left: number })[] = [];

  const idsOnPage = (page: number): number[] => {
    const ids = Array.from({ length: perPage }, (_, i) => fakeMovieId(page, i));
    if (options.shiftingList && page > 1) ids.push(fakeMovieId(page - 1, 0));
    return page > totalPages ? [] : ids;
  };

  const matches = (f: Fault, path: string) =>
    typeof f.match === "string" ? path.includes(f.match) : f.match instanceof RegExp ? f.match.test(path) : f.match(path);

  function answer(path: string, url: URL, auth: string | undefined): { status: number; body: unknown } {
    if (auth !== `Bearer ${token}`) {
      return { status: 401, body: { success: false, status_code: 7, status_message: "Invalid API key: You must be granted a valid key." } };
    }
    if (url.pathname === "/3/genre/movie/list") return { status: 200, body: { genres: FAKE_GENRES } };
    if (url.pathname === "/3/movie/popular") {
      const page = Number(url.searchParams.get("page") ?? "1");
      const results = idsOnPage(page).map((id) => {
        const d = fakeMovieDetails(id);
        return { id, title: d.title, popularity: d.popularity, genre_ids: d.genres.map((g) => g.id) };
      });
      return { status: 200, body: { page, results, total_pages: totalPages, total_results: totalPages * perPage } };
    }
    const detail = /^\/3\/movie\/(\d+)$/.exec(url.pathname);
    if (detail) {
      const id = Number(detail[1]);
      const body: Record<string, unknown> = fakeMovieDetails(id);
      if ((url.searchParams.get("append_to_response") ?? "").split(",").includes("images")) {
        const langs = (url.searchParams.get("include_image_language") ?? "").split(",");
        const posters = fakePosters(id).filter((p) => langs.includes(p.iso_639_1 ?? "null"));
        body.images = { backdrops: [], logos: [], posters };
      }
      return { status: 200, body };
    }
    return { status: 404, body: { success: false, status_code: 34, status_message: "The resource you requested could not be found." } };
  }

  const fake: FakeTmdb = {
    baseUrl: "",
    requests: [],
    addFault: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    idsOnPage,
    distinctIds: (pages) => [...new Set(Array.from({ length: pages }, (_, i) => idsOnPage(i + 1)).flat())].sort((a, b) => a - b),
    close: async () => {},
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname + url.search;
    const record: FakeRequest = { path, pathname: url.pathname, query: url.searchParams, auth: req.headers.authorization, at: Date.now() };
    fake.requests.push(record);
    fake.onRequest?.(record);
    const fault = faults.find((f) => f.left > 0 && matches(f, path));
    if (fault) fault.left--;
    const real = answer(path, url, req.headers.authorization);
    if (!fault && chaos && random() < chaos.rate) {
      const kind = faultKinds[Math.floor(random() * faultKinds.length)];
      record.randomFault = kind;
      const json = { "content-type": "application/json;charset=utf-8" };
      if (kind === "429") {
        res.writeHead(429, { ...json, "retry-after": chaos.retryAfter ?? "1" });
        res.end(JSON.stringify({ success: false, status_code: 25, status_message: "Your request count is over the allowed limit." }));
      } else if (kind === "500") {
        res.writeHead(500, json);
        res.end(JSON.stringify({ success: false, status_code: 11, status_message: "Internal error: Something went wrong." }));
      } else if (kind === "timeout") {
        setTimeout(() => {
          if (res.destroyed) return; // the client gave up, as it should
          res.writeHead(real.status, json);
          res.end(JSON.stringify(real.body));
        }, chaos.timeoutMs + 300);
      } else {
        const body = Buffer.from(JSON.stringify(real.body));
        res.writeHead(real.status, { ...json, "content-length": String(body.length) });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setTimeout(() => res.destroy(), 10);
      }
      return;
    }
    const status = fault?.status ?? real.status;
    const body = fault?.body ?? JSON.stringify(real.body);
    const send = () => {
      if (res.destroyed) return; // the client gave up (timeout)
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...fault?.headers });
      res.end(body);
    };
    if (fault?.delayMs) setTimeout(send, fault.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/3`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

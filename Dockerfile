# syntax=docker/dockerfile:1
#
# Matinee: the Next.js standalone server plus a bundled prepare step, on node:20 bookworm-slim.
#
#   docker build -t ghcr.io/matinee/matinee .
#   docker run --init -p 3000:3000 -v matinee-data:/data ghcr.io/matinee/matinee
#
# Stages: deps (npm ci, with the toolchain better-sqlite3 falls back to when no prebuilt binary
# matches) -> build (next build + bundle the prepare step) -> runtime (slim, non-root).
#
# The runtime image holds only .next/standalone (server.js, the traced node_modules including the
# better-sqlite3 addon, drizzle/ migrations and the seed catalog via outputFileTracingIncludes),
# .next/static, public/ and prepare.cjs: scripts/prepare.ts bundled by esbuild, so no tsx, no
# TypeScript sources and no full node_modules are shipped. worker.cjs (scripts/worker.ts) and
# train.cjs (scripts/train.ts: `node /app/train.cjs --shards N --run ID`, the sharded training Jobs
# of deploy/k8s/scale-out) are bundled the same way.
#
# Environment (validated by lib/env.ts; README.md and docs/deploy.md describe every variable):
#   DATABASE_PATH  /data/matinee.db  SQLite file. /data is a VOLUME: mount persistent storage there,
#                                    writable by uid 1000 (the image's "node" user).
#   PORT           3000              port the standalone server listens on
#   HOSTNAME       0.0.0.0           address it binds. Docker and Kubernetes set HOSTNAME to the
#                                    container/pod name, so keep it pinned to 0.0.0.0.
#   AUTH_SECRET    (generated)       session secret. Set it in production; when unset the entrypoint
#                                    generates one into /data/.auth-secret and warns.
#   TMDB_API_KEY, TMDB_BASE_URL      TMDB access for crawling
#   ADMIN_EMAILS                     comma-separated admin emails
#   AUTH_GITHUB_ID/_SECRET, AUTH_GOOGLE_ID/_SECRET   OAuth sign-in (each needs both)
#   MATINEE_VERSION                  version reported by /api/health
#   METRICS_TOKEN                    when set, /api/metrics requires it as a bearer token
#   CRON_SECRET                      bearer token for /api/cron/retrain and /api/cron/drift
# An empty value (TMDB_API_KEY="") counts as unset: lib/env.ts applies the default.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# public/ may be empty and so absent from a git checkout; the standalone layout wants it anyway.
RUN mkdir -p public \
    && MATINEE_STANDALONE=1 node_modules/.bin/next build \
    && node deploy/docker/bundle-prepare.mjs .next/standalone/prepare.cjs \
    && node deploy/docker/bundle-prepare.mjs .next/standalone/worker.cjs scripts/worker.ts \
    && node deploy/docker/bundle-prepare.mjs .next/standalone/train.cjs scripts/train.ts \
    && cp -R .next/static .next/standalone/.next/static \
    && cp -R public .next/standalone/public \
    && cp scripts/docker-entrypoint.sh .next/standalone/docker-entrypoint.sh

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATABASE_PATH=/data/matinee.db
RUN mkdir -p /data && chown node:node /data
# Owned by "node" like Next's own Docker example: the server writes its cache under .next/.
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only (process up, database answers). The first start on an empty volume prepares the
# database and trains a model before the server listens (12–30 s here), hence the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["sh", "/app/docker-entrypoint.sh"]

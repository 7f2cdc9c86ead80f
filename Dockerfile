# syntax=docker/dockerfile:1
# LogSage: one image for every role. `docker run logsage` runs `start` (api, worker and ai in one
# process); pass `api`, `worker` or `ai` to run one role (see deploy/compose.yaml and docs/deploy.md).

# --- build: install everything, compile the TypeScript packages and the dashboard, then drop dev deps ---
FROM node:20-slim AS build
WORKDIR /app
# The manifests first: the dependency layer is rebuilt only when one of them changes.
COPY package.json package-lock.json ./
COPY packages/server/package.json packages/server/
COPY packages/ai-service/package.json packages/ai-service/
COPY packages/contracts/package.json packages/contracts/
COPY packages/log-patterns/package.json packages/log-patterns/
COPY packages/llm-stand-in/package.json packages/llm-stand-in/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/e2e/package.json packages/e2e/
COPY packages/faults/package.json packages/faults/
RUN npm ci --no-audit --no-fund
COPY . .
# tsc -b for the server-side packages, Vite for the dashboard (served by the api role at /).
RUN npm run build
# Only what runs stays: no dev dependencies, no tests, no browser tests.
RUN npm prune --omit=dev --no-audit --no-fund \
  && rm -rf packages/e2e node_modules/@logsage/e2e packages/*/test bench .ci \
  && npm cache clean --force

# --- runtime ---
FROM node:20-slim
WORKDIR /app
RUN groupadd --system logsage \
  && useradd --system --gid logsage --home-dir /var/lib/logsage --shell /usr/sbin/nologin logsage \
  && mkdir -p /var/lib/logsage \
  && chown logsage:logsage /var/lib/logsage
COPY --from=build --chown=root:root /app /app
# In a container the api role must listen beyond loopback; DATA_DIR holds the first start's
# ingest.key (and the embedded database when no PostgreSQL is configured).
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/logsage
VOLUME ["/var/lib/logsage"]
EXPOSE 8080 50051
USER logsage
# Liveness of the HTTP roles (api, start). The worker and ai roles serve no HTTP: compose.yaml
# replaces this check for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "packages/server/dist/cli.js"]
CMD ["start"]

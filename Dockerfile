# fast-intercom-mcp in a container: the MCP server over Streamable HTTP on port 8765, data in /data
# (or in PostgreSQL with FASTINTERCOM_DATABASE_URL: compose.yaml and docs/deployment.md).
# Build stage compiles better-sqlite3 and the TypeScript; the runtime stage has neither compiler nor
# dev dependencies, and runs as the unprivileged `node` user.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY scripts ./scripts
COPY vendor ./vendor
COPY tests ./tests
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production FASTINTERCOM_WORKSPACE=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/vendor ./vendor
COPY --from=build /app/tests ./tests
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8765
# Healthy when the server's database answers (/readyz: no token needed, no data shown).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:8765/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8765"]

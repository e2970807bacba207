# fast-intercom-mcp in a container: the MCP server over Streamable HTTP on port 8765, data in /data.
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
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production FASTINTERCOM_WORKSPACE=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/vendor ./vendor
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8765
# Healthy when the database opens and reads: `status` exits non-zero on a damaged or locked store.
HEALTHCHECK --interval=60s --timeout=10s --start-period=20s CMD ["node", "dist/src/cli/main.js", "status", "--json"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8765"]

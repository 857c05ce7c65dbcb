# switchyard as a container: `docker build -t switchyard .` (or `podman build`), then see README's
# "Containers" section. The first stage names the one Node.js image every other stage starts from,
# so a build can swap it in one place (`podman build --from IMAGE` replaces this first FROM).
# Node.js 24, an LTS line, is the newest major the test suite runs on (20, 22 and 24).
FROM node:24-bookworm-slim AS node-base

# Compiles the TypeScript and bundles the CLI with the development dependencies, which stay here.
FROM node-base AS build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Production dependencies only: the bundle leaves undici's on-demand parts (and a few others) to
# node_modules, and nothing else of the build is needed at run time.
FROM node-base AS production-dependencies
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node-base
ENV NODE_ENV=production \
    SWITCHYARD_HOME=/data
WORKDIR /app
COPY --from=production-dependencies /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY profiles ./profiles
COPY assets ./assets
COPY container/health-check.mjs ./container/health-check.mjs
# The home holds tokens: owned by the unprivileged user, 0700 as switchyard keeps every folder.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data \
    && ln -s /app/bin/switchyard.js /usr/local/bin/switchyard
USER node
VOLUME /data
EXPOSE 8790
# Asks the server itself: it records its address in $SWITCHYARD_HOME/server.json, whatever --port says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["node", "/app/container/health-check.mjs"]
# node is process 1 and serve handles SIGTERM itself: it stops taking requests, finishes the open
# ones and saves its statistics before it exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["switchyard"]
# Binding 0.0.0.0 needs SWITCHYARD_API_KEY: without it the container stops at once and says so.
CMD ["serve", "--host", "0.0.0.0", "--port", "8790"]

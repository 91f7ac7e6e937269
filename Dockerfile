# One image for the gateway, every subgraph and the data pipeline; the command picks the service:
#   docker run meshgate serve lake      (default: serve gateway)
# The package runs its TypeScript through tsx at run time, so tsx is a production dependency and
# there is no build step.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
# hnswlib-node compiles a native addon with node-gyp.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# snowflake-sdk and Apollo Gateway probe cloud metadata endpoints, and ONNX Runtime contacts its
# vendor's event collector, unless these variables switch them off.
ENV NODE_ENV=production \
    MESHGATE_DATA_DIR=/data \
    HEALTHCHECK_PORT=4000 \
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true \
    APOLLO_TELEMETRY_DISABLED=true \
    ORT_DISABLE_TELEMETRY=1 \
    SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=true
WORKDIR /app

# Only the runtime folders are copied, so a host's node_modules or data never enter the image.
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY cli ./cli
COPY core ./core
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY policies ./policies
COPY schema ./schema
COPY ops/pipeline ./ops/pipeline

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000 4101 4102 4103 4104

# HEALTHCHECK_PORT is the port of the service this container runs; compose and Kubernetes set it.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTHCHECK_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "bin/meshgate"]
CMD ["serve", "gateway"]

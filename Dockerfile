# syntax=docker/dockerfile:1
# incident-stream: the shaded jar on a JRE 17, as a non-root user.
#   docker build -t incident-stream:local .
#   docker run --rm -p 127.0.0.1:8080:8080 -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 \
#     -v "$PWD/tokens.yaml:/etc/incident-stream/tokens.yaml:ro" -e AUTH_TOKENS_FILE=/etc/incident-stream/tokens.yaml \
#     -e PEER_TOKEN=… incident-stream:local
# Without a tokens file it refuses to start unless -e ALLOW_ANONYMOUS=true (see HTTP_HOST below).
# Base images are pinned to exact tags; bump them deliberately (DeploymentFilesTest checks they stay pinned).

FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer: it is rebuilt only when pom.xml changes.
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests \
    && cp target/incident-stream.jar /incident-stream.jar

FROM eclipse-temurin:17.0.16_8-jre-noble
# curl serves the HEALTHCHECK; installed explicitly rather than relying on the base image having it.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 incident \
    && useradd --system --uid 10001 --gid incident --home-dir /app --shell /usr/sbin/nologin incident \
    && mkdir -p /app /data \
    && chown incident:incident /data
WORKDIR /app
COPY --from=build --chown=root:root /incident-stream.jar /app/incident-stream.jar

# The container's memory limit, not the host's, sizes the heap; RocksDB and Kafka's buffers live
# off-heap, so the heap gets well under the whole limit.
# HTTP_HOST: with auth off (no AUTH_TOKENS_FILE) the app would bind loopback only, which nothing
# outside the container can reach, and the container would look healthy yet answer nobody. 0.0.0.0
# instead makes the start fail loudly without a tokens file: open to anyone who can reach the port,
# reads and writes, is what ALLOW_ANONYMOUS=true must accept explicitly (then publish the port on
# 127.0.0.1 only, or keep it on a private network).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError" \
    DATA_DIR=/data \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${HTTP_PORT}/health/ready" || exit 1
# exec form: java is PID 1 and gets SIGTERM, so the graceful shutdown (HTTP, then streams within
# SHUTDOWN_TIMEOUT, leaving the group) runs on `docker stop`; give it --stop-timeout above SHUTDOWN_TIMEOUT.
ENTRYPOINT ["java", "-jar", "/app/incident-stream.jar"]

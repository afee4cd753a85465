# syntax=docker/dockerfile:1
# The hubs service: a Debian 12 slim image with one binary, run as an unprivileged user.
# Build from the repository root:
#   docker build -f deploy/docker/hubs.Dockerfile -t etnik/hubs .
# The build stage is the same in every etnik Dockerfile, so Docker builds the project once
# for all five images.

FROM debian:12-slim AS build
WORKDIR /src
# The project's own scripts install the Debian packages and build, exactly as on a developer's
# machine; the dependencies get their own layer so a source change does not reinstall them.
COPY scripts/ scripts/
RUN scripts/install-deps.sh
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY proto/ proto/
COPY common/ common/
COPY services/ services/
COPY tools/ tools/
COPY tests/ tests/
COPY bench/ bench/
COPY fuzz/ fuzz/
COPY deploy/docker/runtime-packages.sh deploy/docker/
RUN scripts/build.sh \
 && deploy/docker/runtime-packages.sh build/services/registration/registration build/services/hubs/hubs \
      build/services/scheduling/scheduling build/services/notifications/notifications \
      build/services/gateway/gateway build/tools/etnik-health/etnik-health >build/runtime-packages.txt

FROM debian:12-slim
# The shared libraries the binaries were linked against, and time zone data for display zones.
COPY --from=build /src/build/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && xargs -a /tmp/runtime-packages.txt env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --gid 10001 etnik \
 && useradd --uid 10001 --gid 10001 --home-dir /var/lib/etnik --create-home --shell /usr/sbin/nologin etnik
COPY --from=build /src/build/services/hubs/hubs /src/build/tools/etnik-health/etnik-health /usr/local/bin/
USER 10001:10001
WORKDIR /var/lib/etnik
# Listen on every interface inside the container; each variable is the matching --flag.
ENV ETNIK_GRPC_ADDRESS=0.0.0.0:50052 \
    ETNIK_METRICS_ADDRESS=0.0.0.0:9102 \
    ETNIK_DATABASE_URL=sqlite:///var/lib/etnik/hubs.db
EXPOSE 50052 9102
# grpc.health.v1 on the gRPC port: SERVING once started, NOT_SERVING while draining.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["etnik-health", "--wait=3s", "127.0.0.1:50052"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/hubs"]

# syntax=docker/dockerfile:1
# The BYOT runner as a container: the same self-contained single-file executable the systemd install uses, on the
# .NET runtime-deps image, running as its non-root `app` user. It needs the host's Docker socket mounted and the
# socket's group added (compose: group_add: [DOCKER_GID]); see docs/deploy.md.
# Build from the repository root:  docker build -f deploy/docker/Runner.Dockerfile -t byot/runner .
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Byot.Shared/ Byot.Shared/
COPY Byot.Runner/ Byot.Runner/
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac \
 && dotnet publish Byot.Runner/Byot.Runner.csproj -c Release -r "$rid" --self-contained \
      -p:PublishSingleFile=true -p:DebugType=none -o /out

FROM ${RUNTIME_DEPS_IMAGE}
COPY --from=build /out/Byot.Runner /out/appsettings.json /opt/byot-runner/
# The artifact cache (a named volume in compose) must belong to the non-root user.
RUN mkdir -p /var/cache/byot-runner && chown app:app /var/cache/byot-runner
ENV DOTNET_ENVIRONMENT=Production \
    Byot__Runner__ArtifactCacheDirectory=/var/cache/byot-runner
WORKDIR /opt/byot-runner
USER app
# SIGTERM (docker stop) makes it stop receiving and finish or hand back its runs.
ENTRYPOINT ["/opt/byot-runner/Byot.Runner"]

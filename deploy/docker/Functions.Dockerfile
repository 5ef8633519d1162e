# syntax=docker/dockerfile:1
# The BYOT Functions app on the official Azure Functions isolated-worker base image (.NET 10).
# Build from the repository root:  docker build -f deploy/docker/Functions.Dockerfile -t byot/functions .
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG FUNCTIONS_IMAGE=mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Node.js and npm build the dashboard (Byot.Functions/Dashboard) during the publish.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig host.json ./
COPY Byot.Shared/Byot.Shared.csproj Byot.Shared/
COPY Byot.Functions/Byot.Functions.csproj Byot.Functions/
RUN dotnet restore Byot.Functions/Byot.Functions.csproj
COPY Byot.Shared/ Byot.Shared/
COPY Byot.Functions/ Byot.Functions/
RUN dotnet publish Byot.Functions/Byot.Functions.csproj -c Release --no-restore -p:UseAppHost=false -o /home/site/wwwroot

FROM ${FUNCTIONS_IMAGE}
# curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true
COPY deploy/docker/functions-entrypoint.sh /opt/byot/functions-entrypoint.sh
COPY --from=build /home/site/wwwroot /home/site/wwwroot
# (functions-entrypoint.sh is executable in git.) The entrypoint writes the function keys (from BYOT_FUNCTIONS_MASTER_KEY / BYOT_FUNCTIONS_DEFAULT_KEY) where the
# host's file secret store reads them, then starts the host exactly as the base image does.
ENTRYPOINT ["/opt/byot/functions-entrypoint.sh"]
CMD ["/opt/startup/start_nonappservice.sh"]

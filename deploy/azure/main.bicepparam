// Parameters for deploy/azure/main.bicep. The two secrets come from the environment of the shell that deploys, so
// nothing secret is written to a file:
//   export BYOT_POSTGRES_PASSWORD="$(openssl rand -base64 24 | tr -d '/+=;')"
//   export BYOT_SECRETS_KEY="$(openssl rand -base64 32)"
//   az deployment group create -g <group> -f deploy/azure/main.bicep -p deploy/azure/main.bicepparam
using 'main.bicep'

param namePrefix = 'byot'
param postgresAdminPassword = readEnvironmentVariable('BYOT_POSTGRES_PASSWORD')
param secretsKey = readEnvironmentVariable('BYOT_SECRETS_KEY')
param maxArtifactBytes = 536870912
param runnerMaxConcurrentRuns = 2
// Public addresses outside Azure that may reach PostgreSQL and Key Vault (runners on your own machines, the
// workstation that reads the connection strings); empty means private endpoints only:
// param allowedCidrs = ['203.0.113.10/32']
param allowedCidrs = []

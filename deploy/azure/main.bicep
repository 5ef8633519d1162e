// BYOT on Azure: the Functions app on a Flex Consumption plan, Storage (artifacts, logs, the runs queue), Azure
// Database for PostgreSQL Flexible Server, Key Vault for the connection strings and the secrets key, Application
// Insights, and an identity for runner machines. PostgreSQL and Key Vault take no traffic from the internet or from
// "all of Azure": only through private endpoints in BYOT's virtual network (the Functions app is integrated with it,
// Azure runners go in its `runners` subnet) and from the addresses in `allowedCidrs`. The Functions app and the runners
// connect to PostgreSQL as two least-privilege roles, never as the administrator. Runners run on machines the team controls (a VM or VM scale set
// started with the `runnerCloudInit` output, or any Linux host with deploy/runner/install.sh).
//
//   az deployment group create -g <group> -f deploy/azure/main.bicep -p deploy/azure/main.bicepparam
//
// See docs/deploy.md for the whole procedure.

targetScope = 'resourceGroup'

@description('Region for every resource.')
param location string = resourceGroup().location

@description('Short lowercase prefix for resource names; a hash of the resource group makes them unique.')
@minLength(3)
@maxLength(8)
param namePrefix string = 'byot'

@description('Administrator login of the PostgreSQL server.')
param postgresAdminLogin string = 'byotadmin'

@description('Administrator password of the PostgreSQL server. It must not contain a semicolon (it goes into an Npgsql connection string).')
@secure()
@minLength(12)
param postgresAdminPassword string

@description('PostgreSQL major version.')
@allowed(['15', '16', '17'])
param postgresVersion string = '16'

@description('PostgreSQL compute size; Burstable B1ms is enough for a few hundred tests.')
param postgresSkuName string = 'Standard_B1ms'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'Burstable'

@minValue(32)
param postgresStorageGb int = 32

@description('Public addresses outside Azure that may reach PostgreSQL and Key Vault (runners on your own machines, the workstation that reads the connection strings), as CIDRs: [\'203.0.113.10/32\']. Empty: private endpoints only.')
param allowedCidrs string[] = []

@description('Address space of BYOT\'s virtual network (a /16; the subnets are carved from it).')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('Password of the `byot_app` PostgreSQL role the Functions app connects as (owner of BYOT\'s tables, no server rights). Generated when not given; a redeploy sets a new one everywhere.')
@secure()
param postgresAppPassword string = newGuid()

@description('Password of the `byot_runner` PostgreSQL role runners connect as (reads and writes rows, changes no schema). Generated when not given.')
@secure()
param postgresRunnerPassword string = newGuid()

@description('Key that encrypts the write-only test secrets (32 random bytes, base64: `openssl rand -base64 32`). Keep a copy: secrets stored with it cannot be read without it.')
@secure()
@minLength(24)
param secretsKey string

@description('Largest artifact of a one-request upload in bytes (Byot:Upload:MaxArtifactBytes); the Functions host body limit is set to twice this (docs/deploy.md).')
@minValue(1048576)
param maxArtifactBytes int = 536870912

@description('Most instances the Flex Consumption plan may scale out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory of each Functions instance.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('Concurrent runs per runner machine started with the cloud-init output.')
@minValue(1)
@maxValue(256)
param runnerMaxConcurrentRuns int = 2

@description('Size of the XFS file that holds Docker\'s data root on each runner machine (the engine enforces /artifacts quotas there); the OS disk must be larger.')
@minValue(8)
param runnerDockerDataGb int = 24

@description('Turn on Key Vault purge protection (recommended: the secrets key must survive an accidental delete).')
param keyVaultPurgeProtection bool = true

param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var storageAccountName = take('${namePrefix}${suffix}', 24)
var functionAppName = '${namePrefix}-func-${suffix}'
var postgresServerName = '${namePrefix}-pg-${suffix}'
var keyVaultName = take('${namePrefix}-kv-${suffix}', 24)
var databaseName = 'byot'
var artifactsContainerName = 'artifacts'
var logsContainerName = 'logs'
var runsQueueName = 'byot-runs'
var poisonQueueName = 'byot-runs-poison'
var deploymentContainerName = 'app-package'
var runnerReleasesContainerName = 'runner-releases'
var runnerPackageName = 'byot-runner-linux-x64.tar.gz'
var databaseSecretName = 'byot-database-connection-string'
var storageSecretName = 'byot-storage-connection-string'
var secretsKeySecretName = 'byot-secrets-key'
var runnerDatabaseSecretName = 'byot-runner-database-connection-string'
var appRole = 'byot_app'
var runnerRole = 'byot_runner'

// Built-in role definitions.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-b033-0f2c4ca7b8c6'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// ---- Monitoring -------------------------------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

// ---- Storage: artifacts, logs, the runs queue; the Functions host's own storage and deployment package ---------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // BYOT's Byot:Storage:ConnectionString is a key-based connection string (kept in Key Vault).
    allowSharedKeyAccess: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource artifactsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: artifactsContainerName
}

resource logsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: logsContainerName
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
}

resource runnerReleasesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: runnerReleasesContainerName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource runsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: runsQueueName
}

resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: poisonQueueName
}

// ---- Network: PostgreSQL and Key Vault answer only here (private endpoints) -------------------------------------

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${namePrefix}-vnet-${suffix}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [vnetAddressPrefix] }
    // Inline, not child resources: subnets of one network cannot be written in parallel.
    subnets: [
      {
        name: 'functions'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 0)
          delegations: [{ name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        // Where the deployment script that creates the PostgreSQL roles runs (an Azure container instance).
        name: 'scripts'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 2)
          delegations: [{ name: 'container-instances', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } }]
          serviceEndpoints: [{ service: 'Microsoft.Storage' }]
        }
      }
      {
        name: 'runners'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 22, 1)
        }
      }
    ]
  }
}

resource functionsSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: 'functions'
}

resource endpointsSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: 'endpoints'
}

resource scriptsSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: 'scripts'
}

resource runnersSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: 'runners'
}

// PostgreSQL's and Key Vault's private-link zones, so their usual host names resolve to the private endpoints.
var privateZoneNames = ['privatelink.postgres.database.azure.com', 'privatelink.vaultcore.azure.net']

resource privateZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zone in privateZoneNames: {
  name: zone
  location: 'global'
  tags: tags
}]

resource privateZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zone, i) in privateZoneNames: {
  parent: privateZones[i]
  name: vnet.name
  location: 'global'
  tags: tags
  properties: {
    virtualNetwork: { id: vnet.id }
    registrationEnabled: false
  }
}]

// ---- PostgreSQL ---------------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: postgresStorageGb }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
    // Public access only for the listed addresses; everything in Azure comes through the private endpoint.
    network: { publicNetworkAccess: empty(allowedCidrs) ? 'Disabled' : 'Enabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// No "allow all Azure services" rule: any tenant's resources could connect through it. TLS is required by the server.
@batchSize(1)
resource postgresAllowed 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [for (cidr, i) in allowedCidrs: {
  parent: postgres
  name: 'allowed-${i}'
  properties: {
    startIpAddress: parseCidr(cidr).network
    endIpAddress: parseCidr(cidr).broadcast
  }
}]

resource postgresEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: '${namePrefix}-pg-pe-${suffix}'
  location: location
  tags: tags
  properties: {
    subnet: { id: endpointsSubnet.id }
    privateLinkServiceConnections: [
      {
        name: 'postgres'
        properties: {
          privateLinkServiceId: postgres.id
          groupIds: ['postgresqlServer']
        }
      }
    ]
  }
}

resource postgresEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: postgresEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [{ name: 'postgres', properties: { privateDnsZoneId: privateZones[0].id } }]
  }
}

// The two least-privilege roles (deploy/azure/postgres-roles.sql): `byot_app` owns BYOT's tables (the Functions app
// applies the migrations) and has no server rights; `byot_runner` reads and writes rows and changes no schema. Run by
// the administrator from inside the network, at every deployment (it also sets the passwords anew).
resource postgresRoles 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: '${namePrefix}-pg-roles-${suffix}'
  location: location
  tags: tags
  kind: 'AzureCLI'
  dependsOn: [postgresDatabase, postgresEndpointDns, privateZoneLinks]
  properties: {
    azCliVersion: '2.67.0'
    retentionInterval: 'PT1H'
    cleanupPreference: 'OnSuccess'
    timeout: 'PT30M'
    containerSettings: { subnetIds: [{ id: scriptsSubnet.id }] }
    storageAccountSettings: {
      storageAccountName: storage.name
      storageAccountKey: storage.listKeys().keys[0].value
    }
    environmentVariables: [
      { name: 'PGHOST', value: postgres.properties.fullyQualifiedDomainName }
      { name: 'PGDATABASE', value: databaseName }
      { name: 'PGUSER', value: postgresAdminLogin }
      { name: 'PGPASSWORD', secureValue: postgresAdminPassword }
      { name: 'PGSSLMODE', value: 'require' }
      { name: 'BYOT_APP_ROLE', value: appRole }
      { name: 'BYOT_APP_PASSWORD', secureValue: postgresAppPassword }
      { name: 'BYOT_RUNNER_ROLE', value: runnerRole }
      { name: 'BYOT_RUNNER_PASSWORD', secureValue: postgresRunnerPassword }
      { name: 'BYOT_ROLES_SQL', value: loadTextContent('postgres-roles.sql') }
    ]
    scriptContent: loadTextContent('postgres-roles.sh')
  }
}

// ---- Key Vault: connection strings and the secrets key ----------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: keyVaultPurgeProtection ? true : null
    // Private endpoint for everything in Azure; the listed addresses for the workstation that reads the connection
    // strings and for runners outside Azure. ARM itself writes the secrets below, whatever the network rules.
    publicNetworkAccess: empty(allowedCidrs) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      ipRules: [for cidr in allowedCidrs: { value: cidr }]
    }
  }
}

resource keyVaultEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: '${namePrefix}-kv-pe-${suffix}'
  location: location
  tags: tags
  properties: {
    subnet: { id: endpointsSubnet.id }
    privateLinkServiceConnections: [
      {
        name: 'vault'
        properties: {
          privateLinkServiceId: keyVault.id
          groupIds: ['vault']
        }
      }
    ]
  }
}

resource keyVaultEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: keyVaultEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [{ name: 'vault', properties: { privateDnsZoneId: privateZones[1].id } }]
  }
}

resource databaseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: databaseSecretName
  properties: {
    value: 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${databaseName};Username=${appRole};Password=${postgresAppPassword};SSL Mode=VerifyFull'
    contentType: 'Npgsql connection string'
  }
}

resource runnerDatabaseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: runnerDatabaseSecretName
  properties: {
    value: 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${databaseName};Username=${runnerRole};Password=${postgresRunnerPassword};SSL Mode=VerifyFull'
    contentType: 'Npgsql connection string'
  }
}

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: storageSecretName
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
    contentType: 'Azure Storage connection string'
  }
}

resource secretsKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: secretsKeySecretName
  properties: {
    value: secretsKey
    contentType: 'base64 key'
  }
}

// ---- The Functions app (Flex Consumption, Linux, .NET 10 isolated worker) ---------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  // The roles exist before the app's first connection; the vault's private endpoint before its first secret lookup.
  dependsOn: [deploymentContainer, postgresRoles, keyVaultEndpointDns, postgresEndpointDns]
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // All outbound traffic through the VNet: PostgreSQL and Key Vault answer only there.
    virtualNetworkSubnetId: functionsSubnet.id
    vnetRouteAllEnabled: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: functionMaximumInstanceCount
        instanceMemoryMB: functionInstanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', value: string(maxArtifactBytes * 2) }
        { name: 'Byot__Upload__MaxArtifactBytes', value: string(maxArtifactBytes) }
        { name: 'Byot__Database__ConnectionString', value: '@Microsoft.KeyVault(SecretUri=${databaseSecret.properties.secretUri})' }
        { name: 'Byot__Storage__ConnectionString', value: '@Microsoft.KeyVault(SecretUri=${storageSecret.properties.secretUri})' }
        { name: 'Byot__Secrets__Key', value: '@Microsoft.KeyVault(SecretUri=${secretsKeySecret.properties.secretUri})' }
      ]
    }
  }
}

resource functionVaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, functionApp.id, keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The host's own storage (AzureWebJobsStorage, identity-based) and its deployment package container.
resource functionStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {
  name: guid(storage.id, functionApp.id, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

// ---- Runner machines: one identity that reads the connection strings and downloads the runner package ---------

resource runnerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-runner-${suffix}'
  location: location
  tags: tags
}

// Per secret, not on the vault: a runner runs other people's code, so its identity reads exactly the three secrets it
// needs (the database, the storage account and the key that decrypts test secrets) and nothing added to the vault later.
var runnerSecretNames = [runnerDatabaseSecretName, storageSecretName, secretsKeySecretName]

resource runnerSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = [for name in runnerSecretNames: {
  parent: keyVault
  name: name
}]

resource runnerSecretAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in runnerSecretNames: {
  name: guid(keyVault.id, name, runnerIdentity.id, keyVaultSecretsUser)
  scope: runnerSecrets[i]
  dependsOn: [runnerDatabaseSecret, storageSecret, secretsKeySecret]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: runnerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource runnerReleasesAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(runnerReleasesContainer.id, runnerIdentity.id, storageBlobDataReader)
  scope: runnerReleasesContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: runnerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

var runnerPackageUrl = '${storage.properties.primaryEndpoints.blob}${runnerReleasesContainerName}/${runnerPackageName}'
var keyVaultResource = 'https://${substring(environment().suffixes.keyvaultDns, 1)}'

// ---- What the runner install and the next steps need ------------------------------------------------------------

output functionAppName string = functionApp.name
output functionAppUrl string = 'https://${functionApp.properties.defaultHostName}'
output storageAccountName string = storage.name
output runnerReleasesContainer string = runnerReleasesContainerName
output runnerPackageUrl string = runnerPackageUrl
output keyVaultName string = keyVault.name
output keyVaultUri string = keyVault.properties.vaultUri
output databaseSecretName string = databaseSecretName
output runnerDatabaseSecretName string = runnerDatabaseSecretName
@description('Subnet for runner VMs and scale sets in Azure: they reach PostgreSQL and Key Vault through the private endpoints.')
output runnersSubnetId string = runnersSubnet.id
output storageSecretName string = storageSecretName
output postgresHost string = postgres.properties.fullyQualifiedDomainName
output runnerIdentityId string = runnerIdentity.id
output runnerIdentityClientId string = runnerIdentity.properties.clientId
output applicationInsightsName string = appInsights.name

@description('cloud-init for a runner VM or VM scale set; assign it the runnerIdentityId identity.')
output runnerCloudInit string = replace(replace(replace(replace(replace(replace(replace(replace(replace(loadTextContent('runner-cloud-init.yaml'),
  '__RUNNER_IDENTITY_CLIENT_ID__', runnerIdentity.properties.clientId),
  '__KEY_VAULT_URI__', keyVault.properties.vaultUri),
  '__KEY_VAULT_RESOURCE__', keyVaultResource),
  '__RUNNER_PACKAGE_URL__', runnerPackageUrl),
  '__DATABASE_SECRET__', runnerDatabaseSecretName),
  '__STORAGE_SECRET__', storageSecretName),
  '__SECRETS_KEY_SECRET__', secretsKeySecretName),
  '__MAX_CONCURRENT_RUNS__', string(runnerMaxConcurrentRuns)),
  '__DOCKER_DATA_GB__', string(runnerDockerDataGb))

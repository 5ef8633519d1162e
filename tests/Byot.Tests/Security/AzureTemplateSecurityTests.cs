using System.Text.RegularExpressions;
using Byot.Tests.Deploy;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>The Azure template's part of the threat model: the runner identity (which runs other people's code) reads
/// only the three secrets it needs, and its cloud-init passes the secrets key so tests with secrets can run.</summary>
public sealed partial class AzureTemplateSecurityTests
{
    [Fact]
    public void The_runner_identity_is_granted_single_secrets_never_the_whole_vault()
    {
        var template = Repository.ReadText("deploy", "azure", "main.bicep");
        var grants = RoleAssignment().Matches(template).Select(m => m.Value).Where(b => b.Contains("runnerIdentity.properties.principalId", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(grants);
        Assert.DoesNotContain(grants, g => g.Contains("scope: keyVault\n", StringComparison.Ordinal));
        Assert.Contains(grants, g => g.Contains("scope: runnerSecrets[i]", StringComparison.Ordinal));
        Assert.Contains("var runnerSecretNames = [runnerDatabaseSecretName, storageSecretName, secretsKeySecretName]", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_cloud_init_passes_the_secrets_key_from_key_vault()
    {
        var cloudInit = Repository.ReadText("deploy", "azure", "runner-cloud-init.yaml");
        var template = Repository.ReadText("deploy", "azure", "main.bicep");

        Assert.Contains("--set \"Byot__Secrets__Key=$(secret __SECRETS_KEY_SECRET__)\"", cloudInit, StringComparison.Ordinal);
        Assert.Contains("'__SECRETS_KEY_SECRET__', secretsKeySecretName", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_and_key_vault_take_no_traffic_from_all_of_azure_only_private_endpoints_and_listed_addresses()
    {
        var template = Repository.ReadText("deploy", "azure", "main.bicep");

        Assert.DoesNotContain("AllowAllAzureServices", template, StringComparison.Ordinal);
        Assert.DoesNotContain("'0.0.0.0'", template, StringComparison.Ordinal);
        Assert.Equal(2, Count(template, "publicNetworkAccess: empty(allowedCidrs) ? 'Disabled' : 'Enabled'"));
        Assert.Contains("defaultAction: 'Deny'", template, StringComparison.Ordinal);
        Assert.Contains("groupIds: ['postgresqlServer']", template, StringComparison.Ordinal);
        Assert.Contains("groupIds: ['vault']", template, StringComparison.Ordinal);
        Assert.Contains("virtualNetworkSubnetId: functionsSubnet.id", template, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_and_the_runners_connect_to_postgres_as_least_privilege_roles_never_the_administrator()
    {
        var template = Repository.ReadText("deploy", "azure", "main.bicep");
        var cloudInit = Repository.ReadText("deploy", "azure", "runner-cloud-init.yaml");

        var connectionStrings = ConnectionString().Matches(template).Select(m => m.Value).ToList();
        Assert.Equal(2, connectionStrings.Count);
        Assert.Contains(connectionStrings, c => c.Contains("Username=${appRole};Password=${postgresAppPassword}", StringComparison.Ordinal));
        Assert.Contains(connectionStrings, c => c.Contains("Username=${runnerRole};Password=${postgresRunnerPassword}", StringComparison.Ordinal));
        Assert.DoesNotContain(connectionStrings, c => c.Contains("postgresAdmin", StringComparison.Ordinal));
        Assert.Contains("scriptContent: loadTextContent('postgres-roles.sh')", template, StringComparison.Ordinal);
        Assert.Contains("'__DATABASE_SECRET__', runnerDatabaseSecretName", template, StringComparison.Ordinal);
        // The runner's role may not change the schema, so it must not try to migrate.
        Assert.Contains("--set Byot__Database__MigrateOnStart=false", cloudInit, StringComparison.Ordinal);
        Assert.Contains("--set Byot__Runner__VolumeQuota=Engine", cloudInit, StringComparison.Ordinal);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    [GeneratedRegex(@"value: 'Host=[^']+'")]
    private static partial Regex ConnectionString();

    [GeneratedRegex(@"resource \w+ 'Microsoft\.Authorization/roleAssignments@[^']+' = [^\n]*\n(?:.*\n)*?\}\]?\n", RegexOptions.None)]
    private static partial Regex RoleAssignment();
}

using System.Text.RegularExpressions;
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
        Assert.Contains("var runnerSecretNames = [databaseSecretName, storageSecretName, secretsKeySecretName]", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_cloud_init_passes_the_secrets_key_from_key_vault()
    {
        var cloudInit = Repository.ReadText("deploy", "azure", "runner-cloud-init.yaml");
        var template = Repository.ReadText("deploy", "azure", "main.bicep");

        Assert.Contains("--set \"Byot__Secrets__Key=$(secret __SECRETS_KEY_SECRET__)\"", cloudInit, StringComparison.Ordinal);
        Assert.Contains("'__SECRETS_KEY_SECRET__', secretsKeySecretName", template, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"resource \w+ 'Microsoft\.Authorization/roleAssignments@[^']+' = [^\n]*\n(?:.*\n)*?\}\]?\n", RegexOptions.None)]
    private static partial Regex RoleAssignment();
}

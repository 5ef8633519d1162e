using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/azure/main.bicep and main.bicepparam, checked with the real Bicep CLI from the NuGet package
/// Azure.Bicep.CommandLine.linux-x64 (restored by this project): build and lint with no error and no warning.</summary>
public sealed partial class BicepTemplateTests
{
    private static readonly Dictionary<string, string?> ParameterEnvironment = new()
    {
        ["BYOT_POSTGRES_PASSWORD"] = "not-a-real-password-1",
        ["BYOT_SECRETS_KEY"] = "bm90LWEtcmVhbC1rZXktbm90LWEtcmVhbC1rZXk=",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private static string Bicep
    {
        get
        {
            var path = typeof(BicepTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepCli").Value!;
            Assert.True(File.Exists(path), $"the Bicep CLI is not at {path}: restore tests/Byot.Tests");
            return path;
        }
    }

    private static string AzureFolder => Repository.Path("deploy", "azure");

    [Theory]
    [InlineData("build", "main.bicep")]
    [InlineData("lint", "main.bicep")]
    [InlineData("lint", "main.bicepparam")]
    [InlineData("build-params", "main.bicepparam")]
    public async Task Bicep_reports_no_error_and_no_warning(string verb, string file)
    {
        var result = await RunBicepAsync(verb, file);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The CLI exits 0 with warnings; any diagnostic at all fails the check.
        Assert.True(result.Stderr.Trim().Length == 0, result.ToString());
        Assert.DoesNotMatch(Diagnostic(), result.Stdout);
    }

    [Fact]
    public async Task Template_sets_the_host_body_limit_to_twice_the_upload_limit_and_outputs_what_the_runner_install_needs()
    {
        var result = await RunBicepAsync("build", "main.bicep");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var template = JsonDocument.Parse(result.Stdout);
        var root = template.RootElement;

        var maxArtifactBytes = root.GetProperty("parameters").GetProperty("maxArtifactBytes").GetProperty("defaultValue").GetInt64();
        Assert.Equal(new UploadOptions().MaxArtifactBytes, maxArtifactBytes);
        var json = root.GetRawText();
        Assert.Contains("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", json, StringComparison.Ordinal);
        Assert.Contains("string(mul(parameters('maxArtifactBytes'), 2))", json, StringComparison.Ordinal);

        var outputs = root.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[]
                 {
                     "functionAppName", "functionAppUrl", "keyVaultName", "keyVaultUri", "databaseSecretName", "storageSecretName",
                     "runnerPackageUrl", "runnerIdentityId", "runnerIdentityClientId", "runnerCloudInit", "storageAccountName",
                     "runnerDatabaseSecretName", "runnersSubnetId",
                 })
        {
            Assert.Contains(name, outputs);
        }

        // No output may carry a secret.
        Assert.DoesNotContain("listKeys", root.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Password", root.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cloud_init_placeholders_are_all_filled_by_the_template_and_its_bootstrap_script_parses()
    {
        var cloudInit = Repository.ReadText("deploy", "azure", "runner-cloud-init.yaml");
        var template = Repository.ReadText("deploy", "azure", "main.bicep");
        Assert.StartsWith("#cloud-config\n", cloudInit, StringComparison.Ordinal);
        var placeholders = Placeholder().Matches(cloudInit).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(placeholders);
        Assert.All(placeholders, p => Assert.Contains($"'{p}'", template, StringComparison.Ordinal));

        // Each script is a block under `content: |`, indented six spaces: every one parses, and one installs the runner.
        var lines = cloudInit.Split('\n');
        var starts = Enumerable.Range(0, lines.Length).Where(i => lines[i].TrimEnd() == "    content: |").Select(i => i + 1).ToList();
        Assert.True(starts.Count >= 2, "expected the data-root and the bootstrap scripts in the cloud-init file");
        var scripts = starts.Select(start => string.Join('\n', lines.Skip(start).TakeWhile(l => l.Length == 0 || l.StartsWith("      ", StringComparison.Ordinal))
            .Select(l => l.Length == 0 ? l : l[6..]))).ToList();
        foreach (var script in scripts)
        {
            var path = Path.Combine(Path.GetTempPath(), "byot-bootstrap-" + Guid.NewGuid().ToString("N") + ".sh");
            await File.WriteAllTextAsync(path, script);
            try
            {
                var syntax = await Command.RunAsync("bash", ["-n", path]);
                Assert.True(syntax.ExitCode == 0, syntax.ToString());
            }
            finally
            {
                File.Delete(path);
            }
        }

        Assert.Contains(scripts, script => script.Contains("install.sh", StringComparison.Ordinal));
        Assert.Contains(scripts, script => script.Contains("prjquota", StringComparison.Ordinal));
    }

    private static Task<CommandResult> RunBicepAsync(string verb, string file)
    {
        List<string> arguments = [verb, file];
        if (verb is "build" or "build-params")
        {
            arguments.Add("--stdout");
        }

        return Command.RunAsync(Bicep, arguments, AzureFolder, ParameterEnvironment, TimeSpan.FromMinutes(3));
    }

    [GeneratedRegex(@"\) : (Error|Warning|Info) ")]
    private static partial Regex Diagnostic();

    [GeneratedRegex("__[A-Z_]+__")]
    private static partial Regex Placeholder();
}

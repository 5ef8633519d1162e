using System.Reflection;
using System.Text.Json;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The optional runner VM scale set of deploy/azure/main.bicep and its autoscale rule, compiled (and the
/// queue naming evaluated) by the real Bicep CLI: off by default, on the runner identity, subnet and cloud-init, and
/// scaled on the ApproximateMessageCount of each of its location's shard queues.</summary>
public sealed class BicepAutoscaleTests
{
    private static string Bicep => typeof(BicepAutoscaleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepCli").Value!;

    private static string AzureFolder => Repository.Path("deploy", "azure");

    [Fact]
    public async Task The_autoscale_rules_watch_the_queues_the_runner_receives_from()
    {
        // Evaluated by the Bicep CLI itself: a parameters file with no template that calls the template's function.
        var folder = Directory.CreateTempSubdirectory("byot-bicep-queues-").FullName;
        try
        {
            File.Copy(Path.Combine(AzureFolder, "queue-names.bicep"), Path.Combine(folder, "queue-names.bicep"));
            (string Location, int Shard, string Queue)[] cases =
            [
                ("default", 0, "byot-runs"), ("default", 3, "byot-runs-3"), ("eu-west", 0, "byot-runs-eu-west"), ("eu-west", 2, "byot-runs-eu-west-2"),
            ];
            var calls = string.Join(", ", cases.Select(c => $"runQueueName('byot-runs', '{c.Location}', {c.Shard})"));
            await File.WriteAllTextAsync(Path.Combine(folder, "names.bicepparam"), $"using none\nimport {{ runQueueName }} from 'queue-names.bicep'\nparam names = [{calls}]\n");

            var result = await Command.RunAsync(Bicep, ["build-params", "names.bicepparam", "--stdout"], folder, timeout: TimeSpan.FromMinutes(3));
            Assert.True(result.ExitCode == 0, result.ToString());
            using var output = JsonDocument.Parse(result.Stdout);
            using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
            var names = parameters.RootElement.GetProperty("parameters").GetProperty("names").GetProperty("value").EnumerateArray().Select(n => n.GetString()).ToList();
            Assert.Equal(cases.Select(c => c.Queue), names);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_scale_set_is_off_by_default_and_scales_on_queue_length_with_cooldowns()
    {
        var result = await Command.RunAsync(Bicep, ["build", "main.bicep", "--stdout"], AzureFolder, timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.ToString());
        using var template = JsonDocument.Parse(result.Stdout);
        var root = template.RootElement;
        var parameters = root.GetProperty("parameters");
        Assert.False(parameters.GetProperty("runnerScaleSetEnabled").GetProperty("defaultValue").GetBoolean());

        var resources = root.GetProperty("resources").EnumerateObject().Select(r => r.Value).ToList();
        var scaleSet = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Compute/virtualMachineScaleSets");
        var autoscale = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Insights/autoscalesettings");
        Assert.Equal("[parameters('runnerScaleSetEnabled')]", scaleSet.GetProperty("condition").GetString());
        Assert.Equal("[parameters('runnerScaleSetEnabled')]", autoscale.GetProperty("condition").GetString());

        var vm = scaleSet.GetProperty("properties").GetProperty("virtualMachineProfile");
        // The compiler inlines the cloud-init expression: the custom data is the runnerCloudInit output, base64.
        var cloudInit = root.GetProperty("outputs").GetProperty("runnerCloudInit").GetProperty("value").GetString()!;
        Assert.Equal($"[base64({cloudInit[1..^1]})]", vm.GetProperty("osProfile").GetProperty("customData").GetString());
        Assert.Contains("'runners'", vm.GetProperty("networkProfile").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", scaleSet.GetProperty("identity").GetRawText(), StringComparison.Ordinal);

        var profile = autoscale.GetProperty("properties").GetProperty("profiles")[0];
        Assert.Equal("[string(parameters('runnerMinInstances'))]", profile.GetProperty("capacity").GetProperty("minimum").GetString());
        var rules = profile.GetProperty("rules").GetString()!;
        Assert.Contains("runnerQueueNames", rules, StringComparison.Ordinal);
        foreach (var part in new[] { "'GreaterThan'", "'LessThan'", "'Increase'", "'Decrease'", "'cooldown', 'PT5M'", "'cooldown', 'PT10M'", "/services/queue/queues/" })
        {
            Assert.Contains(part, rules, StringComparison.Ordinal);
        }

        var trigger = root.GetProperty("variables").GetProperty("queueMetricTrigger");
        Assert.Equal("ApproximateMessageCount", trigger.GetProperty("metricName").GetString());
        Assert.True(trigger.GetProperty("dividePerInstance").GetBoolean());

        // Azure allows at most 10 rules per autoscale profile: two per shard queue.
        Assert.True(2 * parameters.GetProperty("runnerQueueShards").GetProperty("maxValue").GetInt32() <= 10);
    }
}

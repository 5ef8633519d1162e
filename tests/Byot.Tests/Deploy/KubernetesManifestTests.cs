using Byot.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Byot.Tests.Deploy;

/// <summary>deploy/kubernetes: every document valid against the Kubernetes and KEDA schemas (kubernetes-models, from
/// npm, installed by scripts/deploy-prereqs.sh) and yamllint-clean, and the promises of docs/deploy.md held: one
/// KEDA trigger per shard queue of the Runner's location, a grace period covering the Runner's stop time, secrets
/// only from the Secret, a non-root Runner with resources.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] Deployments = ["runner.yaml", "runner-node-socket.yaml"];
    private static readonly string[] Files = [.. Deployments, "scaledobject.yaml"];

    private static string Folder => Repository.Path("deploy", "kubernetes");

    [Fact]
    public async Task Every_document_matches_the_kubernetes_and_keda_schemas()
    {
        var lint = Path.Combine(Folder, "lint");
        Assert.True(Directory.Exists(Path.Combine(lint, "node_modules", "kubernetes-models")), "run scripts/deploy-prereqs.sh (npm ci in deploy/kubernetes/lint)");
        var result = await Command.RunAsync("node", ["lint.mjs", .. Files.Select(f => Path.Combine(Folder, f))], lint, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{Files.Sum(f => Documents(f).Count)} documents valid, 0 invalid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yamllint_reports_nothing()
    {
        var result = await Command.RunAsync("yamllint", ["-s", "-c", ".yamllint", .. Files], Folder);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("runner.yaml")]
    [InlineData("runner-node-socket.yaml")]
    public void The_scaled_object_has_one_trigger_per_shard_queue_of_the_runners_location(string file)
    {
        var env = Env(RunnerContainer(file));
        var location = env["Byot__Runner__Location"].Value!;
        var shards = int.Parse(env["Byot__Locations__QueueShards"].Value!, System.Globalization.CultureInfo.InvariantCulture);
        var maxConcurrent = int.Parse(env["Byot__Runner__MaxConcurrentRuns"].Value!, System.Globalization.CultureInfo.InvariantCulture);

        var scaled = Documents("scaledobject.yaml").Single(d => Scalar(d, "kind") == "ScaledObject");
        Assert.Equal(Scalar(Map(RunnerDeployment(file), "metadata"), "name"), Scalar(Map(scaled, "spec", "scaleTargetRef"), "name"));
        var triggers = Seq(Map(scaled, "spec"), "triggers").Cast<YamlMappingNode>().ToList();
        Assert.All(triggers, t => Assert.Equal("azure-queue", Scalar(t, "type")));

        // The queue names the Runner receives from (docs/deploy.md, "Kubernetes with KEDA").
        var expected = Enumerable.Range(0, shards)
            .Select(s => (location == "default" ? "byot-runs" : "byot-runs-" + location) + (s == 0 ? "" : "-" + s))
            .ToList();
        Assert.Equal(expected, triggers.Select(t => Scalar(Map(t, "metadata"), "queueName") ?? "").ToList());

        // The autoscaler takes the largest trigger's proposal, so each shard's target is its share of 2 x capacity.
        var queueLength = (2 * maxConcurrent + shards - 1) / shards;
        Assert.All(triggers, t => Assert.Equal(queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(Map(t, "metadata"), "queueLength")));
    }

    [Theory]
    [InlineData("runner.yaml")]
    [InlineData("runner-node-socket.yaml")]
    public void The_grace_period_covers_the_runners_stop_time(string file)
    {
        using var provider = new ServiceCollection().AddByotRunner(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var stop = provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        var grace = int.Parse(Scalar(Map(RunnerDeployment(file), "spec", "template", "spec"), "terminationGracePeriodSeconds") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(TimeSpan.FromSeconds(grace) > stop, $"{file}: terminationGracePeriodSeconds {grace} must exceed the Runner's stop time {stop}");
    }

    [Theory]
    [InlineData("runner.yaml")]
    [InlineData("runner-node-socket.yaml")]
    public void The_runner_is_non_root_with_resources_and_takes_credentials_only_from_the_secret(string file)
    {
        var runner = RunnerContainer(file);
        var security = Map(runner, "securityContext");
        Assert.Equal("true", Scalar(security, "runAsNonRoot"));
        Assert.Equal("false", Scalar(security, "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Seq(Map(security, "capabilities"), "drop").Cast<YamlScalarNode>().Select(n => n.Value));
        Assert.NotNull(Scalar(Map(runner, "resources", "requests"), "cpu"));
        Assert.NotNull(Scalar(Map(runner, "resources", "limits"), "memory"));

        var env = Env(runner);
        foreach (var name in new[] { "Byot__Database__ConnectionString", "Byot__Storage__ConnectionString", "Byot__Secrets__Key" })
        {
            Assert.True(env.ContainsKey(name), $"{file}: {name} is not set");
            Assert.Null(env[name].Value);
            Assert.Equal("byot-runner", env[name].SecretName);
        }

        Assert.All(env.Where(e => e.Value.Value is not null), e => Assert.DoesNotContain("Password", e.Value.Value!, StringComparison.OrdinalIgnoreCase));
        Assert.All(env.Keys, k => Assert.StartsWith("Byot__", k, StringComparison.Ordinal));
    }

    private sealed record EnvValue(string? Value, string? SecretName);

    private static Dictionary<string, EnvValue> Env(YamlMappingNode container) =>
        Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(
            e => Scalar(e, "name")!,
            e => new EnvValue(
                Scalar(e, "value"),
                e.Children.TryGetValue(new YamlScalarNode("valueFrom"), out var from) && ((YamlMappingNode)from).Children.TryGetValue(new YamlScalarNode("secretKeyRef"), out var secret)
                    ? Scalar((YamlMappingNode)secret, "name")
                    : null),
            StringComparer.Ordinal);

    private static YamlMappingNode RunnerDeployment(string file) => Documents(file).Single(d => Scalar(d, "kind") == "Deployment");

    private static YamlMappingNode RunnerContainer(string file) =>
        Seq(Map(RunnerDeployment(file), "spec", "template", "spec"), "containers").Cast<YamlMappingNode>().Single(c => Scalar(c, "name") == "runner");

    private static List<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Folder, file)));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => (YamlMappingNode)n[new YamlScalarNode(key)]);

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node[new YamlScalarNode(key)];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}

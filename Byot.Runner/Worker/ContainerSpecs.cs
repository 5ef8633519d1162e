using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Domain;

namespace Byot.Runner.Worker;

/// <summary>Turns a claimed run into the container to create for it.</summary>
internal static class ContainerSpecs
{
    public const string FilePlaceholder = "{file}";

    public static ContainerSpec For(TestRun run, TestDefinition test, TestArtifact artifact, RuntimeImage runtime, string appArchive, RunnerOptions options)
    {
        var file = "/app/" + artifact.FileName;
        var command = test.Command is { Count: > 0 } custom
            ? custom
            : [.. runtime.Command.Select(part => part.Replace(FilePlaceholder, file, StringComparison.Ordinal))];
        var attempt = run.Attempt.ToString(CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Runner] = options.Id,
            [ContainerLabels.Run] = run.Id.ToString("D"),
            [ContainerLabels.Test] = test.Id.ToString("D"),
            [ContainerLabels.Attempt] = attempt,
        };
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BYOT_RUN_ID"] = run.Id.ToString("D"),
            ["BYOT_TEST_ID"] = test.Id.ToString("D"),
            ["BYOT_ATTEMPT"] = attempt,
            ["HOME"] = "/tmp",
        };

        return new ContainerSpec(
            Name: $"byot-{run.Id:N}-{attempt}",
            Image: runtime.Image,
            Command: command,
            Environment: environment,
            Labels: labels,
            AppArchivePath: appArchive,
            User: options.User,
            MemoryBytes: test.MemoryMb * 1024L * 1024L,
            NanoCpus: (long)(test.Cpus * 1_000_000_000),
            PidsLimit: options.PidsLimit,
            TmpfsMb: options.TmpfsMb,
            NetworkMode: test.NetworkEnabled ? options.EgressNetwork : "none");
    }
}

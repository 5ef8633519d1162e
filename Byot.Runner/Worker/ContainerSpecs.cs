using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Uploads;

namespace Byot.Runner.Worker;

/// <summary>Turns a claimed run into the container to create for it.</summary>
internal static class ContainerSpecs
{
    public const string AppPath = CommandPlaceholders.AppPath;

    /// <summary>The runtime a test runs in: configuration, except that runtime <c>image</c> takes the test's image
    /// (with the configured default command, if any). Null when this runner cannot run it.</summary>
    public static RuntimeImage? Resolve(TestDefinition test, RunnerOptions options)
    {
        options.Runtimes.TryGetValue(test.Runtime, out var configured);
        if (test.Runtime == Runtimes.Image)
        {
            return string.IsNullOrWhiteSpace(test.Image)
                ? null
                : new RuntimeImage { Image = test.Image, Command = configured?.Command ?? [], BundleCommand = configured?.BundleCommand ?? [] };
        }

        return configured is { Image.Length: > 0 } ? configured : null;
    }

    /// <summary>What turns a runtime's machine-readable test output on when the test sets no command (the user's
    /// command always wins): a Go test binary (<c>go test -c</c> names it <c>*.test</c>) runs with <c>-test.v</c>, so
    /// its cases are reported (docs/cases.md).</summary>
    public static IEnumerable<string> DefaultReporterArguments(TestDefinition test, TestArtifact artifact, bool bundle) =>
        test.Runtime is Runtimes.Go or Runtimes.Binary && !bundle && artifact.FileName.EndsWith(".test", StringComparison.Ordinal)
            ? ["-test.v"]
            : [];

    public static ContainerSpec For(TestRun run, TestDefinition test, TestArtifact artifact, RuntimeImage runtime, string appArchive, string user, RunnerOptions options, IReadOnlyDictionary<string, string>? secrets = null, RunTry? @try = null)
    {
        @try ??= RunTry.Only(0);
        var bundle = BundleFormats.Detect(artifact.FileName) != BundleFormat.None;
        var file = bundle ? AppPath : AppPath + "/" + artifact.FileName;
        var defaults = bundle && runtime.BundleCommand.Count > 0 ? runtime.BundleCommand : runtime.Command;
        IEnumerable<string> chosen = test.Command is { Count: > 0 } custom ? custom : defaults.Concat(DefaultReporterArguments(test, artifact, bundle));
        IReadOnlyList<string> command = [.. chosen.Select(part => CommandPlaceholders.Substitute(part, file))];
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
            // The test's own try inside this run (its retries): 1, then 2… up to BYOT_TRIES. A script can tell a
            // retry by it; nothing else survives between tries, each runs in a fresh container and volume.
            ["BYOT_TRY"] = @try.Number.ToString(CultureInfo.InvariantCulture),
            ["BYOT_TRIES"] = @try.Of.ToString(CultureInfo.InvariantCulture),
            ["BYOT_ARTIFACTS_DIR"] = DockerContainerEngine.ArtifactsPath,
            ["HOME"] = "/tmp",
            // Caches and settings (fontconfig, Chromium, npm) go to the run's tmpfs, not the read-only root.
            ["XDG_CACHE_HOME"] = "/tmp/.cache",
            ["XDG_CONFIG_HOME"] = "/tmp/.config",
        };
        foreach (var (name, value) in secrets ?? new Dictionary<string, string>())
        {
            // Secret names cannot start with BYOT_, so they never replace BYOT's own variables.
            environment.TryAdd(name, value);
        }

        return new ContainerSpec(
            Name: @try.IsFirst ? $"byot-{run.Id:N}-{attempt}" : $"byot-{run.Id:N}-{attempt}-try{@try.Number}",
            Image: runtime.Image,
            Command: command,
            Environment: environment,
            Labels: labels,
            AppArchivePath: appArchive,
            User: user,
            MemoryBytes: test.MemoryMb * 1024L * 1024L,
            NanoCpus: (long)(test.Cpus * 1_000_000_000),
            PidsLimit: options.PidsLimit,
            TmpfsMb: options.TmpfsMb,
            NetworkMode: test.NetworkEnabled ? options.EgressNetwork : "none",
            ArtifactsLimit: new VolumeLimit(DockerContainerEngine.ArtifactsPath, options.ArtifactsVolumeMb * 1024L * 1024L, "Byot:Runner:ArtifactsVolumeMb"),
            VolumeQuota: options.VolumeQuota,
            ShmMb: options.ShmMb);
    }
}

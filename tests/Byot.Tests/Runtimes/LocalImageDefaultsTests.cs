using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Every local runtime image runs every default command its runtime documents: each runtime of
/// appsettings.Local.json, with the default commands of appsettings.json (not a copy of them), on the real engine
/// under the full hardening, for a single file and for a bundle.</summary>
public sealed class LocalImageDefaultsTests(ByotEnvironment environment) : LocalRuntimeTestBase(environment)
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var runtime in DocumentedRuntimes.LocalImages().Keys.Order(StringComparer.Ordinal))
        {
            foreach (var kind in DefaultCommandSamples.KindsOf(runtime))
            {
                cases.Add(runtime, kind);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Default_command_runs_on_the_local_image(string runtime, string kind)
    {
        var lockFile = kind == DefaultCommandSamples.GemfileBundle ? await GemfileLockAsync() : null;
        var sample = DefaultCommandSamples.For(runtime, kind, lockFile);
        Assert.True(sample is not null, $"runtime {runtime} has a local image but no sample in DefaultCommandSamples");

        var (run, log) = await RunAsync(runtime, sample.Value.Content, sample.Value.FileName);

        Assert.True(run.GetProperty("status").GetString() == "passed", $"{runtime} {kind}: {run}\n{log}");
        Assert.Contains("[stdout] " + DefaultCommandSamples.Marker(runtime, kind), log, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_runtime_but_the_unbuildable_ones_has_a_local_image()
    {
        // k6 cannot be built here (no k6 build reaches this machine); image names its own. Every other runtime must
        // be runnable locally, so that the README's quick start works.
        var missing = DocumentedRuntimes.Defaults().Keys
            .Except(["k6", "image"])
            .Except(DocumentedRuntimes.LocalImages().Keys)
            .ToList();
        Assert.True(missing.Count == 0, "no local image in appsettings.Local.json for: " + string.Join(", ", missing));
    }

    /// <summary>What <c>bundle lock --local</c> writes for a Gemfile that wants rspec, against the gems of the local
    /// ruby image: a bundle with a Gemfile ships its lock (runs have no network to resolve one).</summary>
    private static async Task<string> GemfileLockAsync() =>
        await RunnerKit.DockerAsync(
            "run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--user", "65532:65532", "--cap-drop", "ALL",
            "--label", "byot.test-helper=gemfile-lock", "-e", "HOME=/tmp", "-w", "/tmp",
            DocumentedRuntimes.LocalImages()["ruby"], "/bin/sh", "-c",
            "printf 'source \"https://rubygems.org\"\\ngem \"rspec\"\\n' > Gemfile && bundle lock --local >/dev/null && cat Gemfile.lock");
}

using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Each runtime that can run on this machine, on the real engine with the locally built images: default
/// commands, command overrides, bundles unpacked into /app, and runtime <c>image</c>.</summary>
public sealed class RuntimeTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Shell_runtime_runs_a_script_with_sh_even_without_a_shebang_or_run_bit_use()
    {
        var (runId, run) = await RunAsync(Encoding.UTF8.GetBytes("echo \"shell says $((6 * 7)) from $0\"\n"), "shell", "check.sh");

        AssertPassed(run);
        Assert.Contains("[stdout] shell says 42 from /app/check.sh", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_runtime_runs_a_static_binary()
    {
        var (runId, run) = await RunAsync(TestPrograms.StaticBinary(0, (false, "binary ok")), "binary", "e2e");

        AssertPassed(run);
        Assert.Contains("[stdout] binary ok", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_runtime_runs_a_script_with_python3()
    {
        var script = "import sys, json\nprint(json.dumps({'python': sys.version_info[0]}))\nsys.exit(4)\n";
        var (runId, run) = await RunAsync(Encoding.UTF8.GetBytes(script), "python", "check.py");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(4, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("[stdout] {\"python\": 3}", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_zip_bundle_is_unpacked_into_app_and_run_with_the_command_override()
    {
        var bundle = Bundles.Zip(
            ("src/main.js", "const h = require('./helper'); console.log(h.greet('bundle')); require('fs').writeFileSync(process.env.BYOT_ARTIFACTS_DIR + '/report.txt', 'ok');", Bundles.Plain),
            ("src/helper.js", "exports.greet = n => 'hello ' + n + ' from ' + __dirname;", Bundles.Plain));

        var (runId, run) = await RunAsync(bundle, "node", "suite.zip", ("command", "node /app/src/main.js"));

        AssertPassed(run);
        Assert.Contains("[stdout] hello bundle from /app/src", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tar_gz_bundle_keeps_run_bits_directories_and_inside_links_and_uses_the_bundle_command()
    {
        var bundle = Bundles.TarGz(
            Bundles.Directory("bin/"),
            Bundles.File("bin/check", "#!/bin/sh\necho \"check ran as $(id -u) in $(pwd)\"\ncat /app/data/fixture.txt\n", Bundles.Executable),
            Bundles.File("data/fixture.txt", "fixture line"),
            Bundles.Symlink("run", "bin/check"));

        var (runId, run) = await RunAsync(bundle, "go", "suite.tar.gz");

        AssertPassed(run);
        var log = await kit.LogAsync(runId);
        Assert.Contains("[stdout] check ran as 65532 in /app", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] fixture line", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_runtime_runs_in_the_image_the_test_names()
    {
        var (runId, run) = await RunAsync(
            Encoding.UTF8.GetBytes("echo from a named image; cat /etc/passwd | head -1\n"), "image", "t.sh",
            ("image", RunnerHost.PythonImage), ("command", "python3 -c \"import os; print('image', os.path.exists('/usr/bin/python3'), sorted(os.listdir('/app')))\""));

        AssertPassed(run);
        Assert.Contains("[stdout] image True ['.artifacts', '.byot', 't.sh']", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    private async Task<(Guid RunId, System.Text.Json.JsonElement Run)> RunAsync(byte[] file, string runtime, string fileName, params (string Name, string Value)[] fields)
    {
        var testId = await kit.UploadAsync(file, runtime, fileName, fields);
        var runId = await kit.Api.RunNowOkAsync(testId);
        return (runId, await kit.Api.WaitForFinalAsync(runId));
    }

    private static void AssertPassed(System.Text.Json.JsonElement run) =>
        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
}

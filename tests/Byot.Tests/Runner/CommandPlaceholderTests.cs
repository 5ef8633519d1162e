using System.Text;
using Byot.Shared.Uploads;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Placeholders in a user's own command: substituted like the runtime defaults' on the real engine, and an
/// unknown one refused at upload and at PATCH with the allowed ones named.</summary>
public sealed class CommandPlaceholderTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task File_and_app_placeholders_are_substituted_in_a_user_command()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo \"ran $0 with $1 and $2\""), "go", "e2e.sh", ("command", "/bin/sh {file} -test.v {app}/x"));
        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
        Assert.Contains("[stdout] ran /app/e2e.sh with -test.v and /app/x", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shell_variables_in_a_sh_c_command_are_not_placeholders()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 0"), "go", "e2e.sh", ("command", """["/bin/sh","-c","echo home=${HOME} file={file}"]"""));
        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
        Assert.Contains("[stdout] home=/tmp file=/app/e2e.sh", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_placeholder_is_refused_at_upload_and_nothing_is_stored()
    {
        var before = (await kit.Api.ListTestsAsync()).Json.GetArrayLength();
        var response = await kit.Api.UploadAsync(Encoding.UTF8.GetBytes("x"), "e2e.sh", [("runtime", "go"), ("command", "{binary} -test.v")]);

        AssertRefused(response, "{binary}");
        Assert.Equal(before, (await kit.Api.ListTestsAsync()).Json.GetArrayLength());
    }

    [Theory]
    [InlineData("\"{File} -v\"", "{File}")]
    [InlineData("[\"/bin/sh\", \"{script}\"]", "{script}")]
    public async Task Unknown_placeholder_is_refused_at_patch_and_the_command_is_unchanged(string command, string unknown)
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 0"), "go", "e2e.sh", ("command", "{file} -a"));

        AssertRefused(await kit.Api.PatchTestAsync(testId.ToString(), $$"""{"command": {{command}}}"""), unknown);
        var test = (await kit.Api.GetTestAsync(testId.ToString())).Json;
        Assert.Equal("""["{file}","-a"]""", test.GetProperty("command").GetRawText());
    }

    [Theory]
    [InlineData("node -e \"console.log({a:1})\"")]
    [InlineData("sh -c 'echo ${HOME}'")]
    [InlineData("{file} {app}")]
    public void Braces_that_are_not_placeholders_are_accepted(string line) =>
        Assert.Null(CommandPlaceholders.Check(CommandLine.Parse(line, out _)!));

    private static void AssertRefused(TestResponse response, string unknown)
    {
        Assert.True(response.Status == 400, response.ToString());
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("command", response.Json.GetProperty("field").GetString());
        Assert.Contains(unknown, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["{file}", "{app}"], response.Json.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
    }
}

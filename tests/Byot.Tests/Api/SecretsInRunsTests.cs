using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>docs/reliability.md row 18 with a real container: the secret reaches the test as an environment variable and
/// never reaches the stored log, printed plainly, base64-encoded, URL-encoded or split across two writes.</summary>
public sealed class SecretsInRunsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Secret = "sk_live_abcDEF123/+=";
    private static readonly Dictionary<string, string?> KeySetting = new() { ["Byot:Secrets:Key"] = SecretsApiTests.Key };

    private static readonly byte[] Script = """
        #!/bin/sh
        [ "$STRIPE_KEY" = 'sk_live_abcDEF123/+=' ] || { echo "secret missing" >&2; exit 9; }
        echo "plain: $STRIPE_KEY"
        printf 'b64: %s\n' "$(printf %s "$STRIPE_KEY" | base64)"
        printf 'basic: %s\n' "$(printf 'user:%s' "$STRIPE_KEY" | base64)"
        printf 'split: sk_live_a'; sleep 0.3; printf 'bcDEF123/+=\n'
        echo "url: sk_live_abcDEF123%2F%2B%3D" >&2
        echo "not secret: sk_test_visible"
        """u8.ToArray();

    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment, KeySetting);
        api = new ByotApi(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_secret_is_injected_and_masked_in_every_form_in_the_stored_log()
    {
        var id = await api.UploadOkAsync(Script, "go", fileName: "secret.sh");
        Assert.Equal(204, (await api.PutSecretAsync(id.ToString(), "STRIPE_KEY", Secret)).Status);
        await using var runner = await RunnerHost.StartAsync(environment, KeySetting);

        var runId = await api.RunNowOkAsync(id);
        var run = await api.WaitForFinalAsync(runId);
        var log = await environment.ReadLogAsync($"{runId:D}.log");

        Assert.True(run.GetProperty("status").GetString() == "passed", log);
        Assert.DoesNotContain("sk_live", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Secret)), log, StringComparison.Ordinal);
        Assert.DoesNotContain("abcDEF", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] plain: ***", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] split: ***", log, StringComparison.Ordinal);
        Assert.Contains("[stderr] url: ***", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] not secret: sk_test_visible", log, StringComparison.Ordinal);
        Assert.Equal(4, log.Split('\n').Count(l => l.Contains("***", StringComparison.Ordinal) && (l.Contains("b64", StringComparison.Ordinal) || l.Contains("basic", StringComparison.Ordinal) || l.Contains("plain", StringComparison.Ordinal) || l.Contains("split", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_runner_without_the_key_closes_the_run_as_infra_error_without_running_it()
    {
        var id = await api.UploadOkAsync(Script, "go", fileName: "secret.sh");
        Assert.Equal(204, (await api.PutSecretAsync(id.ToString(), "STRIPE_KEY", Secret)).Status);
        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "1" });

        var run = await api.WaitForFinalAsync(await api.RunNowOkAsync(id));

        Assert.Equal("infra_error", run.GetProperty("status").GetString());
        Assert.Contains("Byot:Secrets:Key", run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}

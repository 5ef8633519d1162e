using System.Security.Cryptography;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>Write-only secrets: stored encrypted, names listable, values never returned.</summary>
public sealed class SecretsApiTests(ByotEnvironment environment) : ApiTestBase(environment, new Dictionary<string, string?> { ["Byot:Secrets:Key"] = Key })
{
    public static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_secret_is_stored_encrypted_listed_by_name_and_never_returned()
    {
        var id = (await Api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();
        const string value = "sk_live_51H8xQ2c-very-secret";

        Assert.Equal(204, (await Api.PutSecretAsync(id, "STRIPE_KEY", value)).Status);
        Assert.Equal(204, (await Api.PutSecretAsync(id, "API_TOKEN", """{"value": "tok-123456"}""", "application/json")).Status);

        var list = await Api.ListSecretsAsync(id);
        Assert.Equal(["API_TOKEN", "STRIPE_KEY"], list.Json.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.DoesNotContain(value, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(value, (await Api.GetTestAsync(id)).Text, StringComparison.Ordinal);

        await using var command = Fixture.DataSource.CreateCommand("SELECT ciphertext FROM test_secrets WHERE name = 'STRIPE_KEY'");
        var stored = (byte[])(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain("sk_live", System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);

        var revealed = await Client.Function<Byot.Shared.Secrets.SecretService>().RevealForRunAsync(Guid.Parse(id), CancellationToken.None);
        Assert.Equal(value, revealed["STRIPE_KEY"]);
        Assert.Equal("tok-123456", revealed["API_TOKEN"]);

        Assert.Equal(204, (await Api.DeleteSecretAsync(id, "API_TOKEN")).Status);
        Assert.Equal(404, (await Api.DeleteSecretAsync(id, "API_TOKEN")).Status);
        Assert.Single((await Api.ListSecretsAsync(id)).Json.EnumerateArray());
    }

    [Theory]
    [InlineData("lower_case")]
    [InlineData("1STARTS_WITH_DIGIT")]
    [InlineData("BYOT_RUN_ID")]
    [InlineData("WITH-DASH")]
    public async Task Bad_names_are_400(string name)
    {
        var id = (await Api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();

        var response = await Api.PutSecretAsync(id, name, "value-1234");

        Assert.Equal(400, response.Status);
        Assert.Equal("name", response.Json.GetProperty("field").GetString());
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM test_secrets WHERE test_id = @t", ("t", Guid.Parse(id))));
    }

    [Fact]
    public async Task Empty_or_oversized_values_are_400_and_unknown_tests_404()
    {
        var id = (await Api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();

        Assert.Equal(400, (await Api.PutSecretAsync(id, "EMPTY", "")).Status);
        Assert.Equal(400, (await Api.PutSecretAsync(id, "HUGE", new string('x', 40_000))).Status);
        Assert.Equal(404, (await Api.PutSecretAsync(Guid.NewGuid().ToString(), "OK_NAME", "value-1234")).Status);
        Assert.Equal(404, (await Api.ListSecretsAsync(Guid.NewGuid().ToString())).Status);
    }

    [Fact]
    public async Task Without_a_key_secrets_are_refused_with_503_saying_how_to_enable_them()
    {
        await using var keyless = new FunctionsClient(Fixture);
        var keylessApi = new ByotApi(keyless);
        var id = (await keylessApi.UploadOkAsync("x"u8.ToArray(), "go")).ToString();

        var response = await keylessApi.PutSecretAsync(id, "TOKEN", "value-1234");

        Assert.Equal(503, response.Status);
        Assert.Contains("Byot:Secrets:Key", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

using Xunit;

namespace Byot.Tests.Functions;

/// <summary>docs/reliability.md rows 1 and 2 for POST /uploadBinary: a clear problem+json refusal, and nothing left behind:
/// no test row, no artifact row, no blob. Each test has its own database and blob containers (xunit makes one
/// instance per test), so "nothing stored" sees only what that test's request left, whatever ran before it.</summary>
public sealed class UploadRefusalTests : IAsyncLifetime
{
    private const int LimitBytes = 64 * 1024;
    private static readonly byte[] Binary = "#!/bin/sh\necho ok\n"u8.ToArray();

    private readonly ByotEnvironment environment = new();
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        await environment.InitializeAsync();
        client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Upload:MaxArtifactBytes"] = LimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        api = new ByotApi(client);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await environment.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over_the_size_limit_is_413_and_stores_nothing(bool fileFirst)
    {
        var response = await api.UploadAsync(new byte[LimitBytes + 1], fields: [("runtime", "go"), ("severity", "P0")], fileFirst: fileFirst);

        await AssertRefusedAsync(response, 413, "binary", "limit of 65536 bytes");
    }

    [Fact]
    public async Task A_file_of_many_blocks_over_the_limit_is_413_and_stores_nothing()
    {
        await using var big = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Upload:MaxArtifactBytes"] = (9 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var response = await new ByotApi(big).UploadAsync(new byte[(9 * 1024 * 1024) + 1], fields: [("runtime", "go")]);

        await AssertRefusedAsync(response, 413, "binary", "exceeds the limit");
    }

    [Fact]
    public async Task Exactly_at_the_size_limit_is_accepted()
    {
        var response = await api.UploadAsync(new byte[LimitBytes], fields: [("runtime", "go"), ("severity", "P3")]);

        Assert.Equal(201, response.Status);
        var id = response.Json.GetProperty("id").GetGuid();
        Assert.Equal(LimitBytes, await environment.ScalarAsync("SELECT size_bytes FROM test_artifacts WHERE test_id = @id", ("id", id)));
        Assert.Equal([$"{id:D}/v1/artifact"], await environment.ArtifactBlobNamesAsync());
    }

    [Fact]
    public async Task Empty_file_is_400_and_stores_nothing()
    {
        var response = await api.UploadAsync([], fields: [("runtime", "go"), ("severity", "P0")]);

        await AssertRefusedAsync(response, 400, "binary", "empty");
    }

    [Fact]
    public async Task Missing_file_is_400_and_stores_nothing()
    {
        var response = await api.UploadAsync(null, fields: [("runtime", "go"), ("severity", "P0")]);

        await AssertRefusedAsync(response, 400, "binary", "binary");
    }

    [Theory]
    [InlineData("runtime", "cobol", "go, binary, node, python, ruby, deno, k6, playwright, shell, image")]
    [InlineData("runtime", "", "empty")]
    [InlineData("runtime", "GO", "go, binary, node, python, ruby, deno, k6, playwright, shell, image")]
    [InlineData("severity", "P4", "P0 (page now)")]
    [InlineData("severity", "high", "P0 (page now)")]
    [InlineData("timeout", "0", "from 1 to 3600")]
    [InlineData("timeout", "-5", "from 1 to 3600")]
    [InlineData("timeout", "ten", "from 1 to 3600")]
    [InlineData("timeout", "99999999999", "from 1 to 3600")]
    [InlineData("failure_threshold", "0", "from 1 to 1000")]
    [InlineData("docker_memory_mb", "1", "from 6 to")]
    [InlineData("docker_cpus", "0", "0.01 to 64")]
    [InlineData("docker_network_enabled", "maybe", "true or false")]
    [InlineData("command", "node \"unclosed", "unclosed")]
    [InlineData("cron", "* * * * *", "accepted fields")]
    public async Task Bad_field_is_400_naming_the_field_and_stores_nothing(string field, string value, string hint)
    {
        var fields = new List<(string, string)> { ("severity", "P1") };
        if (field != "runtime")
        {
            fields.Add(("runtime", "node"));
        }

        fields.RemoveAll(f => f.Item1 == field);
        fields.Add((field, value));

        foreach (var fileFirst in new[] { true, false })
        {
            var response = await api.UploadAsync(Binary, fields: fields, fileFirst: fileFirst);
            await AssertRefusedAsync(response, 400, field, hint);
        }
    }

    [Fact]
    public async Task Missing_runtime_is_400_listing_the_runtimes()
    {
        var response = await api.UploadAsync(Binary, fields: [("severity", "P1")]);

        await AssertRefusedAsync(response, 400, "runtime", "runtime");
        Assert.Equal(["go", "binary", "node", "python", "ruby", "deno", "k6", "playwright", "shell", "image"], response.Json.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_name_over_200_characters_is_refused_by_length()
    {
        var response = await api.UploadAsync(Binary, fields: [("runtime", "go"), ("name", new string('x', 10_000))]);

        await AssertRefusedAsync(response, 400, "name", "limit is 200");
    }

    [Fact]
    public async Task Non_utf8_field_is_400()
    {
        var (body, contentType) = await Multipart.BuildAsync([("runtime", "go")], ("binary", "t", Binary));
        var bytes = body.ToArray();
        var at = IndexOf(bytes, "\r\n\r\ngo\r\n"u8.ToArray()) + 4;
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        var response = await client.InvokeAsync("POST", "/uploadBinary",
            r => client.Function<Byot.Functions.Http.TestsFunctions>().UploadBinary(r, CancellationToken.None), new MemoryStream(bytes), contentType);

        await AssertRefusedAsync(response, 400, "runtime", "UTF-8");
    }

    [Fact]
    public async Task Not_multipart_is_415_with_a_curl_example()
    {
        var response = await client.InvokeAsync("POST", "/uploadBinary",
            r => client.Function<Byot.Functions.Http.TestsFunctions>().UploadBinary(r, CancellationToken.None),
            new MemoryStream("{\"runtime\":\"go\"}"u8.ToArray()), "application/json");

        Assert.Equal(415, response.Status);
        Assert.Contains("curl -F", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Truncated_multipart_body_is_400()
    {
        var (body, contentType) = await Multipart.BuildAsync([("runtime", "go")], ("binary", "t", new byte[10_000]));
        var bytes = body.ToArray()[..5_000];

        var response = await client.InvokeAsync("POST", "/uploadBinary",
            r => client.Function<Byot.Functions.Http.TestsFunctions>().UploadBinary(r, CancellationToken.None), new MemoryStream(bytes), contentType);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        await AssertNothingStoredAsync();
    }

    private async Task AssertRefusedAsync(TestResponse response, int status, string field, string hint)
    {
        Assert.True(response.Status == status, response.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        var problem = response.Json;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:byot:problem:", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(hint, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(await environment.ArtifactBlobNamesAsync());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts"));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests"));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("needle not found");
    }
}

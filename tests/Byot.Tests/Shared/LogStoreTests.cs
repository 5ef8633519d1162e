using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Shared;

public sealed class LogStoreTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task An_append_retried_after_the_service_wrote_it_is_not_written_twice()
    {
        var store = new BlobLogStore(environment.Blobs, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = environment.LogsContainer }));
        var blob = Guid.NewGuid().ToString("N") + ".log";
        await store.CreateAsync(blob, CancellationToken.None);

        var afterFirst = await store.AppendAsync(blob, "line 1\n"u8.ToArray(), 0, CancellationToken.None);
        var retried = await store.AppendAsync(blob, "line 1\n"u8.ToArray(), 0, CancellationToken.None);
        var afterSecond = await store.AppendAsync(blob, "line 2\n"u8.ToArray(), retried, CancellationToken.None);

        Assert.Equal(7, afterFirst);
        Assert.Equal(7, retried);
        Assert.Equal(14, afterSecond);
        Assert.Equal("line 1\nline 2\n", await environment.ReadLogAsync(blob));
    }

    [Fact]
    public async Task An_append_at_a_wrong_position_that_is_not_a_retry_fails()
    {
        var store = new BlobLogStore(environment.Blobs, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = environment.LogsContainer }));
        var blob = Guid.NewGuid().ToString("N") + ".log";
        await store.CreateAsync(blob, CancellationToken.None);
        await store.AppendAsync(blob, "abc\n"u8.ToArray(), 0, CancellationToken.None);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => store.AppendAsync(blob, "something else\n"u8.ToArray(), 0, CancellationToken.None));
        Assert.Equal("abc\n", await environment.ReadLogAsync(blob));
    }
}

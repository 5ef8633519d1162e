using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Infrastructure;

/// <summary>A <see cref="ByotEnvironment"/> whose artifacts and logs live on the S3 server, in buckets of its own.</summary>
public sealed class S3Environment : IAsyncLifetime
{
    public ByotEnvironment Environment { get; } = ByotEnvironment.On(StorageBackend.S3);

    public Task InitializeAsync() => Environment.InitializeAsync();

    public Task DisposeAsync() => Environment.DisposeAsync();
}

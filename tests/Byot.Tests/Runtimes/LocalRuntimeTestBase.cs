using System.Text.Json;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>A real runner per test, configured with the runtimes exactly as documented on the local images; uploads
/// through the real function, runs once and returns the final run with its stored log.</summary>
public abstract class LocalRuntimeTestBase(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    protected RunnerKit Kit { get; private set; } = null!;

    public async Task InitializeAsync() => Kit = await RunnerKit.StartAsync(environment, DocumentedRuntimes.LocalRunnerSettings());

    public async Task DisposeAsync() => await Kit.DisposeAsync();

    protected async Task<(JsonElement Run, string Log)> RunAsync(string runtime, byte[] file, string fileName, params (string Name, string Value)[] fields)
    {
        var testId = await Kit.UploadAsync(file, runtime, fileName, fields);
        var runId = await Kit.Api.RunNowOkAsync(testId);
        var run = await Kit.Api.WaitForFinalAsync(runId);
        return (run, await Kit.LogAsync(runId));
    }
}

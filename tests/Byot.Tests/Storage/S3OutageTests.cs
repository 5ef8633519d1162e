using Byot.Tests.Infrastructure;
using Byot.Tests.Reliability;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>docs/reliability.md row 22 on the S3 backend: the S3 server unreachable while a run's log streams (a relay
/// of this class's own in front of the server is cut and reopened mid-run; the server keeps its data). A short outage
/// costs nothing: the lines wait in the runner's bounded buffer and every line lands once, in order. An outage that
/// outlasts the retries is an infra_error, never a pass.</summary>
public sealed class S3OutageTests(S3Environment fixture) : IClassFixture<S3Environment>, IAsyncLifetime
{
    private readonly TcpRelay relay = new(new Uri(S3Server.Url));
    private PrivateStack stack = null!;

    private LogOutageScenarios Scenarios => new(stack, Down, Up, runner =>
        RunnerHost.StartAsync(fixture.Environment, new Dictionary<string, string?>(runner) { ["Byot:Storage:S3:ServiceUrl"] = relay.Url }));

    public async Task InitializeAsync()
    {
        relay.Start();
        stack = await PrivateStack.StartAsync(fixture.Environment.Settings(S3Server.Settings(relay.Url)), createDatabase: false);
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        await relay.DisposeAsync();
    }

    [Fact]
    public Task Lines_printed_while_S3_is_down_are_stored_once_after_it_returns() =>
        Scenarios.LinesPrintedWhileDownAreStoredOnceAfterItReturnsAsync();

    [Fact]
    public Task Run_whose_log_cannot_be_stored_on_S3_is_an_infra_error_not_a_pass() =>
        Scenarios.RunWhoseLogCannotBeStoredIsAnInfraErrorAsync();

    private Task Down()
    {
        relay.Stop();
        return Task.CompletedTask;
    }

    private Task Up()
    {
        relay.Start();
        return Task.CompletedTask;
    }
}

using Xunit;

namespace Byot.Testing;

/// <summary>A test class of the HTTP API: the Functions app in-process over the class's private environment, one
/// client per test (with the class's own settings on top of the environment's).</summary>
public abstract class ApiTestBase : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private readonly IDictionary<string, string?>? settings;

    protected ApiTestBase(ByotEnvironment environment, IDictionary<string, string?>? settings = null)
    {
        Fixture = environment;
        this.settings = settings;
    }

    /// <summary>The class's private database, containers and queues.</summary>
    protected ByotEnvironment Fixture { get; }

    protected FunctionsClient Client { get; private set; } = null!;

    protected ByotApi Api { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Client = new FunctionsClient(Fixture, settings);
        Api = new ByotApi(Client);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Client.DisposeAsync();
}

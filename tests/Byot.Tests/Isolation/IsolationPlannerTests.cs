using Byot.Runner.Isolation;
using Byot.Runner.Options;
using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Isolation;

/// <summary>The isolation rules in memory: a test gets at least the Runner's floor, gVisor when it asks, and a
/// network-enabled test falls back to runc only where nobody demanded gVisor, and says so.</summary>
public sealed class IsolationPlannerTests
{
    private static readonly RunnerOptions Options = new();

    private static EngineRuntimes Engine(bool gvisor = true, bool network = true, IsolationMode mode = IsolationMode.Runc) =>
        new(gvisor, network, mode == IsolationMode.Gvisor || (mode == IsolationMode.Auto && gvisor), mode == IsolationMode.Gvisor);

    [Fact]
    public void Runc_floor_and_no_request_runs_under_the_engines_default()
    {
        var plan = IsolationPlanner.Plan(Engine(mode: IsolationMode.Runc), Options, requested: null, networkEnabled: false);

        Assert.Equal(new IsolationPlan(null, Isolations.Runc, Options.PidsLimit), plan);
    }

    [Theory]
    [InlineData(IsolationMode.Runc, "gvisor")]
    [InlineData(IsolationMode.Auto, null)]
    [InlineData(IsolationMode.Gvisor, null)]
    public void A_test_asking_for_gvisor_or_a_gvisor_floor_runs_under_gvisor(IsolationMode mode, string? requested)
    {
        var plan = IsolationPlanner.Plan(Engine(mode: mode), Options, requested, networkEnabled: false);

        Assert.Equal(new IsolationPlan("byot-gvisor", Isolations.Gvisor, Options.GvisorPidsLimit, Options.PidsLimit), plan);
    }

    [Fact]
    public void Network_enabled_tests_under_gvisor_use_the_network_capable_runtime()
    {
        var plan = IsolationPlanner.Plan(Engine(mode: IsolationMode.Gvisor), Options, null, networkEnabled: true);

        Assert.Equal(new IsolationPlan("byot-gvisor-net", Isolations.Gvisor, Options.GvisorPidsLimit, Options.PidsLimit), plan);
    }

    [Fact]
    public void Auto_floor_without_the_network_runtime_falls_back_to_runc_and_records_why()
    {
        var plan = IsolationPlanner.Plan(Engine(network: false, mode: IsolationMode.Auto), Options, null, networkEnabled: true);

        Assert.Null(plan.EngineRuntime);
        Assert.Null(plan.Refusal);
        Assert.StartsWith("runc (network-enabled;", plan.Recorded, StringComparison.Ordinal);
        Assert.Contains("byot-gvisor-net", plan.Recorded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IsolationMode.Gvisor, null)]
    [InlineData(IsolationMode.Runc, "gvisor")]
    [InlineData(IsolationMode.Auto, "gvisor")]
    public void A_demanded_gvisor_is_never_silently_lowered_for_network_tests(IsolationMode mode, string? requested)
    {
        var plan = IsolationPlanner.Plan(Engine(network: false, mode: mode), Options, requested, networkEnabled: true);

        Assert.NotNull(plan.Refusal);
        Assert.Contains("byot-gvisor-net", plan.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_asking_for_gvisor_on_an_engine_without_it_is_refused_with_what_to_do()
    {
        var plan = IsolationPlanner.Plan(Engine(gvisor: false, network: false, mode: IsolationMode.Runc), Options, Isolations.Gvisor, networkEnabled: false);

        Assert.NotNull(plan.Refusal);
        Assert.Contains("install runsc", plan.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_without_gvisor_registered_is_a_runc_floor()
    {
        var plan = IsolationPlanner.Plan(Engine(gvisor: false, network: false, mode: IsolationMode.Auto), Options, null, networkEnabled: true);

        Assert.Equal(new IsolationPlan(null, Isolations.Runc, Options.PidsLimit), plan);
    }
}

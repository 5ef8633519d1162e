using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Runtime ruby on the local image, hardened as always: a real library's own suite (minitest's, as Debian
/// ships it), a failing RSpec suite through the bundle default, and a script past its timeout.</summary>
public sealed class RubyRuntimeTests(ByotEnvironment environment) : LocalRuntimeTestBase(environment)
{
    [Fact]
    public async Task Minitests_own_suite_passes_with_its_exact_counts()
    {
        var (run, log) = await RunAsync("ruby", ThirdPartySuites.Minitest(), "minitest.tar.gz",
            ("command", """["ruby","-Ilib:test","-e","Dir['test/**/test_*.rb'].sort.each { |f| require './' + f }"]"""));

        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);
        // The same counts as on the host: minitest marks 10 of its own stub tests "not yet" (skipped upstream).
        Assert.Contains("[stdout] 389 runs, 1126 assertions, 0 failures, 0 errors, 10 skips", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_rspec_example_fails_the_run_with_rspecs_exit_code()
    {
        var bundle = Bundles.TarGz(Bundles.File("spec/cart_spec.rb", """
            RSpec.describe "cart" do
              it("adds an item") { expect([1] + [2]).to eq([1, 2]) }
              it("totals") { expect(19.99 + 0.01).to be_within(0.001).of(20.0) }
              it("applies the coupon") { expect(100 * 0.9).to eq(80) }
            end
            """));

        var (run, log) = await RunAsync("ruby", bundle, "cart.tar.gz");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("[stdout] 3 examples, 1 failure", log, StringComparison.Ordinal);
        Assert.Contains("cart applies the coupon", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_past_its_timeout_is_timed_out()
    {
        var (run, log) = await RunAsync("ruby", Encoding.UTF8.GetBytes("puts 'waiting for the payment page'\n$stdout.flush\nsleep 120\n"), "slow.rb", ("timeout", "2"));

        Assert.Equal("timed_out", run.GetProperty("status").GetString());
        Assert.Contains("[stdout] waiting for the payment page", log, StringComparison.Ordinal);
    }
}

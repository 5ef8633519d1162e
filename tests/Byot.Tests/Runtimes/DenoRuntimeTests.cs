using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Runtime deno on the local image, hardened as always: a real package's own suite (@fastify/error's
/// node:test suite, from its npm package) run by <c>deno test</c>, a failing Deno.test bundle through the bundle
/// default, and a script past its timeout.</summary>
public sealed class DenoRuntimeTests(ByotEnvironment environment) : LocalRuntimeTestBase(environment)
{
    [Fact]
    public async Task Fastify_errors_own_suite_passes_with_its_exact_count()
    {
        // test/instanceof.test.js is left out: it spawns node itself. --no-check: the package's types reference
        // @types/node, which is not in the package (type checking is not what its suite tests).
        var (run, log) = await RunAsync("deno", ThirdPartySuites.FastifyError(), "fastify-error.tar.gz",
            ("command", """["deno","test","--allow-all","--no-check","test/index.test.js","test/rfc9457.test.js"]"""));

        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);
        Assert.Matches(@"\[stdout\] (\e\[[0-9;]*m)*ok(\e\[[0-9;]*m)* \| 27 passed \| 0 failed", log);
    }

    [Fact]
    public async Task A_failing_deno_test_fails_the_run()
    {
        var bundle = Bundles.TarGz(Bundles.File("checkout_test.ts", """
            Deno.test("cart adds an item", () => {
              if ([1, 2].length !== 2) throw new Error("cart lost an item");
            });
            Deno.test("coupon applies", () => {
              const total: number = 100 * 0.9;
              if (total !== 80) throw new Error(`total was ${total}, not 80`);
            });
            """));

        var (run, log) = await RunAsync("deno", bundle, "checkout.tar.gz");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("exitCode").GetInt32());
        Assert.Matches(@"FAILED(\e\[[0-9;]*m)* \| 1 passed \| 1 failed", log);
        Assert.Contains("total was 90, not 80", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_past_its_timeout_is_timed_out()
    {
        var script = "console.log('waiting for the payment page');\nawait new Promise((resolve) => setTimeout(resolve, 120_000));\n";
        var (run, log) = await RunAsync("deno", Encoding.UTF8.GetBytes(script), "slow.ts", ("timeout", "2"));

        Assert.Equal("timed_out", run.GetProperty("status").GetString());
        Assert.Contains("[stdout] waiting for the payment page", log, StringComparison.Ordinal);
    }
}

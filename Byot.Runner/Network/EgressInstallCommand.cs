namespace Byot.Runner.Network;

/// <summary><c>Byot.Runner --install-egress</c>: creates BYOT's bridge network and installs and verifies its egress
/// rules with the same code the runner uses, then exits (0 when in place). deploy/runner/install.sh runs it as root.</summary>
internal static class EgressInstallCommand
{
    public const string Flag = "--install-egress";

    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var refusal = await services.GetRequiredService<EgressGate>().RefusalAsync(cancellationToken);
        await Console.Error.WriteLineAsync(refusal ?? "egress network and rules are in place");
        return refusal is null ? 0 : 1;
    }
}

using Byot.Runner.Network;
using Byot.Runner.Options;
using Byot.Shared.Domain;
using Byot.Shared.Secrets;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>What a run needs before any container or log exists: an enabled test, an image for its runtime, a
/// filtered network if it asks for one, and its secrets in clear.</summary>
internal sealed class RunPreflight(SecretService secrets, EgressGate egress, DatabaseRetry retry, IOptions<RunnerOptions> options)
{
    public async Task<PreflightResult> CheckAsync(ClaimedRun claimed, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var test = claimed.Test;
        if (!test.Enabled)
        {
            return PreflightResult.Stop(RunOutcomes.Cancelled("The test was disabled before the run started."));
        }

        if (ContainerSpecs.Resolve(test, o) is not { } runtime)
        {
            return PreflightResult.Stop(RunOutcomes.InfraError(test.Runtime == Runtimes.Image
                ? "The test has runtime 'image' but names no image."
                : $"Runner '{o.Id}' has no image configured for runtime '{test.Runtime}' (Byot:Runner:Runtimes)."));
        }

        if (test.NetworkEnabled && await egress.RefusalAsync(cancellationToken) is { } refusal)
        {
            return PreflightResult.Stop(RunOutcomes.InfraError(refusal));
        }

        try
        {
            return new PreflightResult(null, runtime, await retry.ExecuteAsync(ct => secrets.RevealForRunAsync(test.Id, ct), cancellationToken));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            return PreflightResult.Stop(RunOutcomes.InfraError(
                $"The test's secrets could not be decrypted on runner '{o.Id}' (is Byot:Secrets:Key the same as the Functions app's?): {e.Message}"));
        }
    }
}

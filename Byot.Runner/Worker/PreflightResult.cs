using Byot.Runner.Options;
using Byot.Shared.Domain;

namespace Byot.Runner.Worker;

/// <summary>Either the outcome that ends the run before it starts, or what the container is made from.</summary>
internal sealed record PreflightResult(RunOutcome? Stopped, RuntimeImage? Runtime, IReadOnlyDictionary<string, string> Secrets)
{
    public static PreflightResult Stop(RunOutcome outcome) => new(outcome, null, new Dictionary<string, string>());
}

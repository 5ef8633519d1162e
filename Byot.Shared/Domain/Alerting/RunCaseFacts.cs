namespace Byot.Shared.Domain.Alerting;

/// <summary>The cases of the run being decided (its last attempt): how many it reported, how many failed or errored,
/// how many of those are quarantined, and the first few failing ones in detail (non-quarantined first).</summary>
public sealed record RunCaseFacts(int Total, int Failing, int QuarantinedFailing, DateTimeOffset QueuedAt, IReadOnlyList<FailingCase> Named)
{
    /// <summary>The run had failing cases and every one of them is quarantined: docs/alerting.md, "Quarantine".</summary>
    public bool OnlyQuarantinedFailures => Failing > 0 && QuarantinedFailing == Failing;
}

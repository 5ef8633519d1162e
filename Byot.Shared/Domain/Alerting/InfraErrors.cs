namespace Byot.Shared.Domain.Alerting;

/// <summary>What an infra_error result is decided against.</summary>
/// <param name="InWindow">infra_error runs that finished within the burst window since the last operator incident
/// resolved, these included.</param>
/// <param name="LatestError">The error the infrastructure gave last, for the operator.</param>
public sealed record InfraErrors(long InWindow, string? LatestError);

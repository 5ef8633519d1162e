using Byot.Shared.Domain;

namespace Byot.Shared.Incidents;

/// <summary>Which incidents to list: <see cref="State"/> <c>open</c> (acknowledged ones too), <c>resolved</c> or
/// <c>all</c>; of one test, tag or severity; open at some moment of [<see cref="From"/>, <see cref="To"/>); older
/// than <see cref="Before"/> (the cursor).</summary>
public sealed record IncidentFilter(
    string State = IncidentFilter.All,
    Guid? TestId = null,
    string? Tag = null,
    Severity? Severity = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = IncidentFilter.DefaultLimit,
    (DateTimeOffset OpenedAt, Guid Id)? Before = null)
{
    public const string All = "all";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static readonly IReadOnlyList<string> States = [IncidentSummary.Open, IncidentSummary.Resolved, All];
}

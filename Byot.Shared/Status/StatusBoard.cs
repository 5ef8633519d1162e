namespace Byot.Shared.Status;

/// <summary>Everything the status page shows; <see cref="Overall"/> is the worst state of any enabled flow.</summary>
public sealed record StatusBoard(string Title, DateTimeOffset GeneratedAt, string Overall, int RefreshSeconds, IReadOnlyList<FlowStatus> Flows)
{
    /// <summary>The tags the board was filtered by (<c>?tag=</c>); empty for every flow.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Maintenance windows in force now or starting within a week that cover a flow on the board.</summary>
    public IReadOnlyList<StatusMaintenance> Maintenance { get; init; } = [];
}

namespace Byot.Shared.Domain.Alerting;

/// <summary>The failing cases of the run a notification is about: "<see cref="Failed"/> of <see cref="Total"/>
/// failed", the first few by name (<see cref="Named"/>) and how many more there are.</summary>
public sealed record AlertCases(int Total, int Failed, int Quarantined, IReadOnlyList<AlertCase> Named)
{
    public int More => Failed - Named.Count;

    /// <summary>Describes the run's failing cases by the one flaky rule; null when the run reported no failing case.</summary>
    public static AlertCases? Of(RunCaseFacts? facts, FlakyRule rule)
    {
        if (facts is not { Failing: > 0 })
        {
            return null;
        }

        return new AlertCases(facts.Total, facts.Failing, facts.QuarantinedFailing, [.. facts.Named.Select(c =>
        {
            var isNew = c.Earlier.Count == 0 || !c.Earlier[0].Failed;
            var since = facts.QueuedAt;
            for (var i = 0; i < c.Earlier.Count && c.Earlier[i].Failed; i++)
            {
                since = c.EarlierQueuedAt[i];
            }

            var flaky = rule.Judge([new FlakyResult(true, false), .. c.Earlier]).Flaky;
            return new AlertCase(c.Name, isNew, since, flaky, c.Quarantined);
        })]);
    }
}

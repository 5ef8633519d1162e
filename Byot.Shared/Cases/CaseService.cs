using System.Globalization;
using Byot.Shared.Options;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Cases;

/// <summary>Which case broke: a run's cases, a test's cases over its recent runs, and one case's history.</summary>
public sealed class CaseService(CaseQueries queries, QuarantineStore quarantines, RunStore runs, TestStore tests, IOptions<AlertingOptions> alerting, TimeProvider time)
{
    public const int DefaultPageSize = 500;
    public const int MaxPageSize = 5_000;
    public const int MaxHistoryPageSize = 200;

    public async Task<RunCasesPage> RunCasesAsync(Guid runId, string? status, int limit, string? cursor, CancellationToken cancellationToken)
    {
        if (status is not null && !CaseStatusNames.TryParse(status, out _))
        {
            throw P.InvalidField("status", $"'status' must be one of {string.Join(", ", CaseStatusNames.All)}.", CaseStatusNames.All);
        }

        Limit(limit, MaxPageSize);
        var after = cursor is null ? ((int, int)?)null : ParseCaseCursor(cursor);
        var run = await runs.FindAsync(runId, cancellationToken) ?? throw P.NotFound("run", runId);
        var page = await queries.RunCasesAsync(runId, status, after, limit + 1, cancellationToken);
        var next = page.Count > limit ? string.Create(CultureInfo.InvariantCulture, $"{page[limit - 1].Case.Attempt}.{page[limit - 1].Position}") : null;
        return new RunCasesPage(run.Id, run.Cases, run.CasesTruncated, run.Tries, await queries.WarningsAsync(runId, cancellationToken),
            [.. page.Take(limit).Select(p => p.Case)], next);
    }

    public async Task<TestCasesView> TestCasesAsync(Guid testId, CancellationToken cancellationToken)
    {
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var rule = alerting.Value.Flaky.Rule();
        var window = await queries.WindowAsync(testId, rule.Window, cancellationToken);
        var seen = await queries.SeenAsync(testId, cancellationToken);
        var quarantined = await quarantines.ActiveAsync(testId, time.GetUtcNow(), cancellationToken);
        return new TestCasesView(testId, rule.Window, [.. window.Select(c =>
        {
            var score = CaseScore.Of(c.Statuses, c.PassedOnRetry, rule);
            var (first, lastFailure) = seen.GetValueOrDefault(c.CaseId, (c.LastSeenAt, null));
            return new TestCaseView(c.CaseId, c.Key, c.Suite, c.Name, c.Statuses[0], c.LastSeenAt, score.Runs, score.PassRate, score.FlipRate,
                score.Flaky, first, lastFailure, score.Flaky ? "flaky" : score.Broken ? "broken" : "healthy", quarantined.GetValueOrDefault(c.CaseId));
        })]);
    }

    /// <summary>Quarantines one of the test's cases (or replaces its quarantine): its failures stop counting towards
    /// an incident while it is in force.</summary>
    public async Task<CaseQuarantine> QuarantineAsync(Guid testId, string? caseId, System.Text.Json.JsonElement? body, CancellationToken cancellationToken)
    {
        var quarantine = QuarantineRequestParser.Parse(body, time.GetUtcNow());
        await FindCaseAsync(testId, caseId, cancellationToken);
        await quarantines.PutAsync(testId, caseId!, quarantine, cancellationToken);
        return quarantine;
    }

    /// <summary>Lifts a case's quarantine. Lifting one that is not there is not an error (the case is not quarantined
    /// either way), so a retried DELETE answers as the first did; an unknown test or case is.</summary>
    public async Task UnquarantineAsync(Guid testId, string? caseId, CancellationToken cancellationToken)
    {
        await FindCaseAsync(testId, caseId, cancellationToken);
        await quarantines.DeleteAsync(testId, caseId!, cancellationToken);
    }

    private async Task<(string Key, string Suite, string Name)> FindCaseAsync(Guid testId, string? caseId, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsWellFormed(caseId))
        {
            throw P.InvalidField("caseId", $"'{caseId}' is not a case id: a case id is the 'caseId' of a case, {CaseIds.Length} lowercase hex digits (see GET /tests/{{id}}/cases).");
        }

        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return await queries.CaseAsync(testId, caseId!, cancellationToken)
            ?? throw new Problems.NotFoundException("not-found", "Case not found", $"Test {testId} has no case {caseId}. List its cases with GET /tests/{testId}/cases.");
    }

    public async Task<CaseHistoryPage> CaseHistoryAsync(Guid testId, string? caseId, int limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsWellFormed(caseId))
        {
            throw P.InvalidField("caseId", $"'{caseId}' is not a case id: a case id is the 'caseId' of a case, {CaseIds.Length} lowercase hex digits (see GET /tests/{{id}}/cases).");
        }

        Limit(limit, MaxHistoryPageSize);
        var before = cursor is null ? ((DateTimeOffset, Guid)?)null : RunCursor.Parse(cursor);
        var found = await FindCaseAsync(testId, caseId, cancellationToken);
        var page = await queries.HistoryAsync(testId, caseId!, before, limit + 1, cancellationToken);
        var next = page.Count > limit ? RunCursor.Format(page[limit - 1].QueuedAt, page[limit - 1].RunId) : null;
        return new CaseHistoryPage(testId, caseId!, found.Key, found.Suite, found.Name, [.. page.Take(limit)], next);
    }

    private static void Limit(int limit, int max)
    {
        if (limit < 1 || limit > max)
        {
            throw P.InvalidField("limit", $"'limit' must be from 1 to {max}.");
        }
    }

    private static (int Attempt, int Position) ParseCaseCursor(string cursor) =>
        cursor.Split('.') is [var a, var p]
        && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
        && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? (attempt, position)
            : throw P.InvalidField("cursor", "'cursor' is not a cursor this API issued; pass the 'next' value of the previous page.");
}

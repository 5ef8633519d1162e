using Byot.Shared.Artifacts;
using Byot.Shared.Completion;
using System.Globalization;
using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>Starts runs on demand and reads them back.</summary>
public sealed partial class RunService(
    RunStore runs,
    RunCompletion completion,
    RunQueries queries,
    TestStore tests,
    RunQueue queue,
    LogStore logs,
    TimeProvider time,
    IOptions<UploadOptions> uploadOptions,
    IOptions<ApiOptions> apiOptions,
    IOptions<AlertingOptions> alertingOptions,
    IOptions<LocationOptions> locationOptions,
    ILogger<RunService> logger)
{
    public const int MaxPageSize = 200;

    /// <summary>A test's runs, newest first, <paramref name="limit"/> at a time; pass the previous page's
    /// <see cref="RunPage.Next"/> as <paramref name="cursor"/> for the next.</summary>
    public async Task<RunPage> HistoryAsync(Guid testId, int limit, string? cursor, CancellationToken cancellationToken, string? locationRaw = null)
    {
        var location = Location(locationRaw);
        if (limit is < 1 or > MaxPageSize)
        {
            throw P.InvalidField("limit", $"'limit' must be from 1 to {MaxPageSize}.");
        }

        var before = cursor is null ? ((DateTimeOffset, Guid)?)null : RunCursor.Parse(cursor);
        if (await tests.FindAsync(testId, cancellationToken) is null && before is null
            && (await queries.HistoryAsync(testId, null, 1, cancellationToken)).Count == 0)
        {
            throw P.NotFound("test", testId);
        }

        var page = await queries.HistoryAsync(testId, before, limit + 1, cancellationToken, location);
        var next = page.Count > limit ? RunCursor.Format(page[limit - 1].QueuedAt, page[limit - 1].Id) : null;
        return new RunPage([.. page.Take(limit).Select(RunView.From)], next);
    }

    /// <summary>The test's statistics, over every location or, with <paramref name="locationRaw"/>, over one.</summary>
    public async Task<TestStats> StatsAsync(Guid testId, CancellationToken cancellationToken, string? locationRaw = null)
    {
        var location = Location(locationRaw);
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var (uptime, p50, p95, counts, flips) = await queries.StatsAsync(testId, time.GetUtcNow(), cancellationToken, location);
        var flaky = alertingOptions.Value.Flaky.Rule();
        var verdict = flaky.Judge(await queries.RecentCountedAsync(testId, flaky.Window, cancellationToken));
        return new TestStats(testId, uptime, p50, p95, counts, flips, verdict.Flaky) { Location = location };
    }

    /// <summary>The <c>location</c> query parameter of history and stats: absent for every location.</summary>
    private string? Location(string? raw) =>
        string.IsNullOrEmpty(raw) ? null : Locations.LocationList.Parse([raw], "location", locationOptions.Value.All)[0];

    /// <summary>Queues a manual run of the test's current artifact with the test's own settings.</summary>
    public async Task<TestRun> RunNowAsync(Guid testId, CancellationToken cancellationToken) =>
        (await RunNowAsync(testId, null, cancellationToken)).Run;

    /// <summary>Queues a manual run in each location asked for (all the test's locations unless the body names some),
    /// or answers the equal one already queued there (<see cref="RunNowResult.Queued"/> false), so a burst of run-now
    /// calls for one test makes one run per location. <paramref name="body"/> is the call's optional JSON
    /// (<see cref="RunNowRequest"/>). The row first, then the message.</summary>
    public async Task<RunNowResult> RunNowAsync(Guid testId, JsonElement? body, CancellationToken cancellationToken)
    {
        var request = RunNowRequest.Parse(body, uploadOptions.Value.MaxTimeoutSeconds, locationOptions.Value.All);
        var test = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var fileName = request.FileName is null ? null : await tests.FindArtifactFileNameAsync(test.Id, test.ArtifactVersion, cancellationToken);
        if (request.Mismatch(test, fileName) is { } mismatch)
        {
            throw mismatch;
        }

        var results = new List<RunNowResult>();
        foreach (var location in request.Locations ?? test.RunsFrom)
        {
            results.Add(await RunNowInAsync(testId, location, request.TimeoutSeconds, cancellationToken));
        }

        return results[0] with { Queued = results.Exists(r => r.Queued), Runs = [.. results.Select(r => r.Run)] };
    }

    private async Task<RunNowResult> RunNowInAsync(Guid testId, string location, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var max = apiOptions.Value.MaxQueuedManualRuns;
        var queued = await runs.QueueManualAsync(Guid.NewGuid(), testId, location, timeoutSeconds, max, cancellationToken);
        if (queued.Run is not { } run)
        {
            throw queued.QueuedCount >= max
                ? new Problems.TooManyException("too-many-queued-runs", "Too many queued runs",
                    string.Create(CultureInfo.InvariantCulture, $"Test {testId:D} already has {queued.QueuedCount} manual run(s) waiting in location {location} (Byot:Api:MaxQueuedManualRuns is {max}). Wait for them to start, or call again without a different timeout to get a queued one."))
                : P.NotFound("test", testId);
        }

        if (!queued.Created)
        {
            return new RunNowResult(run, Queued: false);
        }

        try
        {
            await queue.EnqueueAsync(QueuedRun.Now(run), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Close the row so no half-queued run is left behind; the caller may simply retry.
            await completion.FailUnstartedAsync(run.Id, RunStatus.InfraError, "The run could not be put on the queue: " + e.Message, CancellationToken.None);
            LogEnqueueFailed(e, run.Id);
            throw new Problems.UnavailableException("queue-unavailable", "Queue unavailable",
                "The run could not be queued because the storage queue did not answer. Check GET /health and try again.");
        }

        await runs.MarkEnqueuedAsync(run.Id, cancellationToken);
        return new RunNowResult(run, Queued: true);
    }

    public async Task<TestRun> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        return await runs.FindAsync(runId, cancellationToken) ?? throw P.NotFound("run", runId);
    }

    /// <summary>The run and its log from <paramref name="offset"/>; an empty stream when nothing was written yet.</summary>
    public async Task<(TestRun Run, Stream Log)> OpenLogAsync(Guid runId, long offset, CancellationToken cancellationToken)
    {
        var run = await GetAsync(runId, cancellationToken);
        var log = run.LogBlobName is null ? null : await logs.OpenReadAsync(run.LogBlobName, offset, cancellationToken);
        return (run, log ?? Stream.Null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} could not be enqueued")]
    private partial void LogEnqueueFailed(Exception exception, Guid runId);
}

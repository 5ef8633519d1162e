using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Health;

/// <summary>Checks Postgres, Blob and Queue in parallel, each with its own short deadline.</summary>
public sealed class HealthService(
    DatabaseProbe database,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IOptions<StorageOptions> options)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var checks = new (string Name, Func<CancellationToken, Task> Probe)[]
        {
            ("postgres", database.PingAsync),
            ("blob", async ct => await blobs.GetBlobContainerClient(o.LogsContainer).GetPropertiesAsync(cancellationToken: ct)),
            ("queue", async ct => await queues.GetQueueClient(o.RunsQueue).GetPropertiesAsync(ct)),
        };

        var results = await Task.WhenAll(checks.Select(c => ProbeAsync(c.Name, c.Probe, cancellationToken)));
        var map = results.ToDictionary(r => r.Name, r => r.State, StringComparer.Ordinal);
        return new HealthReport(map.Values.All(s => s == "ok"), map);
    }

    private static async Task<(string Name, string State)> ProbeAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await probe(deadline.Token);
            return (name, "ok");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (name, $"down: no answer within {Deadline.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (name, "down: " + e.GetType().Name + ": " + FirstLine(e.Message));
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

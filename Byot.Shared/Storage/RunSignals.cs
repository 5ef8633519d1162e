using Byot.Shared.Queue;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Postgres <c>LISTEN</c>/<c>NOTIFY</c> on one channel: enqueuers tell runners a run was queued, so a
/// runner receives at once instead of at its next poll. Signals are hints; the queue stays the only source of work.</summary>
public sealed class RunSignals(NpgsqlDataSource dataSource)
{
    public const string Channel = "byot_runs";

    // How often an idle listening connection is checked: a half-open connection would otherwise wait forever.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public async Task NotifyAsync(RunWakeUp wakeUp, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""SELECT pg_notify(@channel, @payload)""");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", wakeUp.ToJson());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Sends a wake-up within <paramref name="timeout"/>; a wake-up is a hint, so a database that is slow or
    /// away is returned as the failure (for the caller to log), never thrown. Cancellation by the caller still throws.</summary>
    public async Task<Exception?> TryNotifyAsync(IReadOnlyList<RunWakeUp> wakeUps, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await NotifyAsync(wakeUps, bounded.Token);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }

    /// <summary>Many wake-ups in one round trip (a scheduler tick's batch).</summary>
    public async Task NotifyAsync(IReadOnlyList<RunWakeUp> wakeUps, CancellationToken cancellationToken)
    {
        if (wakeUps.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""SELECT count(pg_notify(@channel, p)) FROM unnest(@payloads) AS p""");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payloads", wakeUps.Select(w => w.ToJson()).ToArray());
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Listens until cancelled or the connection fails (the exception is the caller's cue to reconnect).
    /// <paramref name="onListening"/> runs once the subscription holds, so the caller can look at the queue for
    /// anything signalled while it was not listening.</summary>
    public async Task ListenAsync(Action<RunWakeUp> onWakeUp, Action onListening, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, e) =>
        {
            if (e.Channel == Channel && RunWakeUp.TryParse(e.Payload) is { } wakeUp)
            {
                onWakeUp(wakeUp);
            }
        };
        await using (var listen = new NpgsqlCommand($"""LISTEN {Channel}""", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        onListening();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await connection.WaitAsync(KeepAlive, cancellationToken))
            {
                await using var ping = new NpgsqlCommand("""SELECT 1""", connection);
                await ping.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}

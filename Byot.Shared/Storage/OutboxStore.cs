using Byot.Shared.Domain.Alerting;
using System.Text.Json;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>The delivery side of the notification outbox. A claim pushes <c>next_attempt_at</c> past the send's
/// timeout, so a second instance never sends the same row at the same time, and a crash mid-send retries later.</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    internal const string Columns = """
        n.id, n.incident_id, n.kind, n.channel, n.dedup_key, n.payload::text, n.status, n.attempts, n.next_attempt_at,
        n.last_status_code, n.last_error
        """;

    /// <summary>Claims due notifications, oldest first. Within one incident and channel they go out in the order they
    /// were written, so a recovery notice never overtakes a trigger that is still being retried.</summary>
    public async Task<List<OutboxNotification>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH due AS (
                SELECT n.id FROM notifications n
                WHERE n.status = 'pending' AND n.next_attempt_at <= @now AND n.channel <> '@route'
                  AND NOT EXISTS (SELECT 1 FROM notifications p
                                  WHERE p.incident_id = n.incident_id AND p.channel = n.channel
                                    AND p.status = 'pending' AND p.seq < n.seq)
                ORDER BY n.next_attempt_at, n.seq
                LIMIT @limit
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = @until
                FROM due WHERE n.id = due.id
                RETURNING n.*
            )
            SELECT {Columns} FROM claimed n ORDER BY n.seq
            """);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("until", claimUntil);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task MarkSentAsync(Guid id, int? statusCode, DateTimeOffset at, CancellationToken cancellationToken) =>
        await UpdateAsync("status = 'sent', sent_at = @at, next_attempt_at = @at, last_status_code = @code, last_error = NULL", id, statusCode, null, at, cancellationToken);

    public async Task MarkRetryAsync(Guid id, int? statusCode, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) =>
        await UpdateAsync("next_attempt_at = @at, last_status_code = @code, last_error = @error", id, statusCode, error, nextAttemptAt, cancellationToken);

    public async Task MarkFailedAsync(Guid id, int? statusCode, string error, DateTimeOffset at, CancellationToken cancellationToken) =>
        await UpdateAsync("status = 'failed', next_attempt_at = @at, last_status_code = @code, last_error = @error", id, statusCode, error, at, cancellationToken);

    /// <summary>Notifications of one incident (or, with null, the digests), in the order they were written.</summary>
    public async Task<List<OutboxNotification>> ListAsync(Guid? incidentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM notifications n
            WHERE n.incident_id IS NOT DISTINCT FROM @incident AND n.channel <> '@route'
            ORDER BY n.seq
            """);
        command.Parameters.AddWithValue("incident", (object?)incidentId ?? DBNull.Value);
        return await ReadAllAsync(command, cancellationToken);
    }

    private async Task UpdateAsync(string set, Guid id, int? statusCode, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"UPDATE notifications SET {set} WHERE id = @id AND status = 'pending'");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("code", (object?)statusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<List<OutboxNotification>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<OutboxNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new OutboxNotification(
                reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), JsonSerializer.Deserialize<AlertPayload>(reader.GetString(5), AlertStore.Json)!,
                reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return list;
    }
}

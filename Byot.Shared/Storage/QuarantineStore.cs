using Byot.Shared.Cases;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Quarantines on a test's cases. An expired one is kept (a later PUT replaces it) but is in force nowhere:
/// every read compares its expiry with the injected clock's now.</summary>
public sealed class QuarantineStore(NpgsqlDataSource dataSource)
{
    /// <summary>Sets or replaces the case's quarantine.</summary>
    public async Task PutAsync(Guid testId, string caseId, CaseQuarantine quarantine, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO case_quarantines (test_id, case_id, reason, until, by_whom, created_at)
            VALUES (@test, @case, @reason, @until, @by, @since)
            ON CONFLICT (test_id, case_id) DO UPDATE SET reason = excluded.reason, until = excluded.until, by_whom = excluded.by_whom, created_at = excluded.created_at
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("case", caseId);
        command.Parameters.AddWithValue("reason", quarantine.Reason);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("until", quarantine.Until?.ToUniversalTime()));
        command.Parameters.Add(new NpgsqlParameter<string?>("by", quarantine.By));
        command.Parameters.AddWithValue("since", quarantine.Since.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Lifts the case's quarantine; false when it had none.</summary>
    public async Task<bool> DeleteAsync(Guid testId, string caseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM case_quarantines WHERE test_id = @test AND case_id = @case");
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("case", caseId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The test's quarantines in force at <paramref name="now"/>, by case id.</summary>
    public async Task<Dictionary<string, CaseQuarantine>> ActiveAsync(Guid testId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT q.case_id, q.reason, q.until, q.by_whom, q.created_at FROM case_quarantines q
            WHERE q.test_id = @test AND {CaseFactsStore.Active}
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        var found = new Dictionary<string, CaseQuarantine>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = new CaseQuarantine(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
        }

        return found;
    }
}

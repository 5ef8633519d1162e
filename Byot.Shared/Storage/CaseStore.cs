using Byot.Shared.Cases;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Writes a run's cases: one binary COPY of every attempt's cases. COPY takes no transaction object: on a
/// connection with an open transaction it is part of it, so the caller's rollback takes the cases too.</summary>
public static class CaseStore
{
    public static async Task InsertAsync(NpgsqlConnection connection, Guid runId, Guid testId, RunCases cases, CancellationToken cancellationToken)
    {
        if (cases.Attempts.All(a => a.Cases.Count == 0))
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync("""
            COPY run_cases (run_id, attempt, position, test_id, case_id, case_key, suite, name, status, duration_ms, message, output, flaky, retries)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var attempt in cases.Attempts)
        {
            var position = 0;
            foreach (var c in attempt.Cases)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(runId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(attempt.Attempt, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(position++, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(testId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(CaseIds.For(c.Key), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(Text(c.Key), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(Text(c.Suite), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(Text(c.Name), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(CaseStatusNames.Of(c.Status), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, c.DurationMs, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(importer, c.Message is null ? null : Text(c.Message), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, c.Output is null ? null : Text(c.Output), NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(c.Flaky, NpgsqlDbType.Boolean, cancellationToken);
                await importer.WriteAsync(c.Retries, NpgsqlDbType.Integer, cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Postgres text cannot hold NUL, which a test's failure output may: it is dropped.</summary>
    internal static string Text(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "", StringComparison.Ordinal) : value;

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken);
        }
    }
}

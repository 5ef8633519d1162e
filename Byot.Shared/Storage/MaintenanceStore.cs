using Byot.Shared.Maintenance;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Maintenance window definitions. Their occurrences are computed (MaintenanceCalendar), never stored.</summary>
public sealed class MaintenanceStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, name, mode, starts_at, ends_at, cron, days, start_time, duration_minutes, time_zone, test_ids, tags, created_at, updated_at
        """;

    public async Task<List<MaintenanceWindow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM maintenance_windows ORDER BY created_at, id");
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<MaintenanceWindow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM maintenance_windows WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Inserts the window, or replaces the definition of the one with its id; false when replacing one that
    /// no longer exists.</summary>
    public async Task<bool> SaveAsync(MaintenanceWindow w, bool insert, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(insert
            ? $"""
              INSERT INTO maintenance_windows ({Columns})
              VALUES (@id, @name, @mode, @starts, @ends, @cron, @days, @start, @duration, @zone, @tests, @tags, @created, @updated)
              """
            : """
              UPDATE maintenance_windows SET name = @name, mode = @mode, starts_at = @starts, ends_at = @ends, cron = @cron,
                     days = @days, start_time = @start, duration_minutes = @duration, time_zone = @zone, test_ids = @tests,
                     tags = @tags, updated_at = @updated
              WHERE id = @id
              """);
        command.Parameters.AddWithValue("id", w.Id);
        command.Parameters.AddWithValue("name", w.Name);
        command.Parameters.AddWithValue("mode", w.Mode);
        command.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.TimestampTz) { Value = (object?)w.StartsAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("ends", NpgsqlDbType.TimestampTz) { Value = (object?)w.EndsAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cron", NpgsqlDbType.Text) { Value = (object?)w.Cron ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("days", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)w.Days?.ToArray() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.Text) { Value = (object?)w.Start ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("duration", NpgsqlDbType.Integer) { Value = (object?)w.DurationMinutes ?? DBNull.Value });
        command.Parameters.AddWithValue("zone", w.TimeZone);
        command.Parameters.AddWithValue("tests", w.Tests.ToArray());
        command.Parameters.AddWithValue("tags", w.Tags.ToArray());
        command.Parameters.AddWithValue("created", w.CreatedAt);
        command.Parameters.AddWithValue("updated", w.UpdatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM maintenance_windows WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The ids among <paramref name="testIds"/> that name no live test.</summary>
    public async Task<List<Guid>> UnknownTestsAsync(IReadOnlyList<Guid> testIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT w.id FROM unnest(@ids) AS w(id)
            WHERE NOT EXISTS (SELECT 1 FROM tests t WHERE t.id = w.id AND t.deleted_at IS NULL)
            """);
        command.Parameters.AddWithValue("ids", testIds.ToArray());
        var unknown = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            unknown.Add(reader.GetGuid(0));
        }

        return unknown;
    }

    private static async Task<List<MaintenanceWindow>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var windows = new List<MaintenanceWindow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            windows.Add(new MaintenanceWindow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.GetString(9), reader.GetFieldValue<Guid[]>(10), reader.GetFieldValue<string[]>(11),
                reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return windows;
    }
}

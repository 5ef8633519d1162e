using Byot.Shared.Domain;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Maps rows to domain records; column order follows the SELECT lists in the stores.</summary>
internal static class RowReaders
{
    public const int TestColumnCount = 21;
    public const int RunColumnCount = 27;
    public const int ArtifactColumnCount = 6;

    public static TestDefinition ReadTest(NpgsqlDataReader r, int o) => new(
        Id: r.GetGuid(o),
        Name: r.GetString(o + 1),
        Runtime: r.GetString(o + 2),
        Severity: Enum.Parse<Severity>(r.GetString(o + 3)),
        Command: r.IsDBNull(o + 4) ? null : r.GetFieldValue<string[]>(o + 4),
        TimeoutSeconds: r.GetInt32(o + 5),
        FailureThreshold: r.GetInt32(o + 6),
        MemoryMb: r.GetInt32(o + 7),
        Cpus: r.GetDouble(o + 8),
        NetworkEnabled: r.GetBoolean(o + 9),
        Enabled: r.GetBoolean(o + 10),
        ArtifactVersion: r.GetInt32(o + 11),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(o + 12),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(o + 13),
        Image: NullableString(r, o + 14),
        Isolation: NullableString(r, o + 15),
        Locations: r.GetFieldValue<string[]>(o + 16),
        FailingLocations: r.GetInt32(o + 17))
    {
        Retry = new RetryPolicy(r.GetInt32(o + 18), r.GetInt32(o + 19), r.GetString(o + 20)),
    };

    public static TestRun ReadRun(NpgsqlDataReader r, int o) => new(
        Id: r.GetGuid(o),
        TestId: r.GetGuid(o + 1),
        Trigger: r.GetString(o + 2),
        ArtifactVersion: r.GetInt32(o + 3),
        Attempt: r.GetInt32(o + 4),
        Status: RunStatuses.Parse(r.GetString(o + 5)),
        RunnerId: NullableString(r, o + 6),
        QueuedAt: r.GetFieldValue<DateTimeOffset>(o + 7),
        StartedAt: NullableTime(r, o + 8),
        FinishedAt: NullableTime(r, o + 9),
        DurationMs: r.IsDBNull(o + 10) ? null : r.GetInt64(o + 10),
        ExitCode: r.IsDBNull(o + 11) ? null : r.GetInt32(o + 11),
        LogBlobName: NullableString(r, o + 12),
        LogBytes: r.GetInt64(o + 13),
        LogTruncated: r.GetBoolean(o + 14),
        Error: NullableString(r, o + 15),
        ScheduledFor: NullableTime(r, o + 16),
        Isolation: NullableString(r, o + 17),
        Location: r.GetString(o + 25))
    {
        Cases = r.IsDBNull(o + 18) ? null : new Cases.CaseCounts(r.GetInt32(o + 18), r.GetInt32(o + 19), r.GetInt32(o + 20), r.GetInt32(o + 21)),
        CasesTruncated = r.GetBoolean(o + 22),
        Tries = r.GetInt32(o + 23),
        Flaky = r.GetBoolean(o + 24),
        InMaintenance = r.GetBoolean(o + 26),
    };

    public static TestArtifact ReadArtifact(NpgsqlDataReader r, int o) => new(
        TestId: r.GetGuid(o),
        Version: r.GetInt32(o + 1),
        BlobName: r.GetString(o + 2),
        Sha256: r.GetString(o + 3),
        SizeBytes: r.GetInt64(o + 4),
        FileName: r.GetString(o + 5));

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}

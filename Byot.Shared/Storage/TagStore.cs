using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Tests' tags: set with the test (in its transaction) or by PATCH, read for views and filters.</summary>
public sealed class TagStore(NpgsqlDataSource dataSource)
{
    public async Task SetAsync(Guid testId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ReplaceAsync(connection, transaction, testId, tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The test's tags become exactly <paramref name="tags"/>, inside the caller's unit of work.</summary>
    internal static Task ReplaceAsync(UnitOfWork unit, Guid testId, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        ReplaceAsync(unit.Connection, unit.Transaction, testId, tags, cancellationToken);

    private static async Task ReplaceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid testId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM test_tags WHERE test_id = @test AND NOT (tag = ANY(@tags));
            INSERT INTO test_tags (test_id, tag) SELECT @test, unnest(@tags) ON CONFLICT DO NOTHING;
            """, connection, transaction);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("tags", tags.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The tags of each of the tests, sorted; a test without tags is left out.</summary>
    public async Task<Dictionary<Guid, List<string>>> ForTestsAsync(IReadOnlyCollection<Guid> testIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT test_id, tag FROM test_tags WHERE test_id = ANY(@ids) ORDER BY test_id, tag");
        command.Parameters.AddWithValue("ids", testIds.ToArray());
        var tags = new Dictionary<Guid, List<string>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            if (!tags.TryGetValue(id, out var list))
            {
                tags[id] = list = [];
            }

            list.Add(reader.GetString(1));
        }

        return tags;
    }

    /// <summary>The tests carrying every one of <paramref name="tags"/>.</summary>
    public async Task<HashSet<Guid>> TestsWithAllAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT test_id FROM test_tags WHERE tag = ANY(@tags) GROUP BY test_id HAVING count(*) = cardinality(@tags)
            """);
        command.Parameters.AddWithValue("tags", tags.Distinct(StringComparer.Ordinal).ToArray());
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}

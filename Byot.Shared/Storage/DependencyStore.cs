using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Tests' dependencies (<c>dependsOn</c>): written with the test or by PATCH, the graph the cycle check reads,
/// the open incidents a result's decision looks at, and the dependents that joined an incident.</summary>
public sealed class DependencyStore(NpgsqlDataSource dataSource)
{
    // Any constant, the same in every BYOT process; distinct from the other advisory locks.
    private const long GraphLockKey = 0x42_59_4F_54_00_12;

    /// <summary>What a selector selects, as SQL over <c>dep</c> (test_dependencies) and <c>d</c> (tests): the test of
    /// that id, or every test carrying that tag; never the dependent itself through its id, never a deleted test.</summary>
    private const string Selects = """
        d.deleted_at IS NULL
        AND (dep.selector = d.id::text
             OR (dep.selector LIKE 'tag:%' AND EXISTS (SELECT 1 FROM test_tags g WHERE g.test_id = d.id AND g.tag = substr(dep.selector, 5))))
        """;

    /// <summary>The test's dependencies become exactly <paramref name="selectors"/>, in that order.</summary>
    public static async Task ReplaceAsync(UnitOfWork unit, Guid testId, IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            DELETE FROM test_dependencies WHERE test_id = @test;
            INSERT INTO test_dependencies (test_id, selector, position)
            SELECT @test, s.selector, s.position FROM unnest(@selectors) WITH ORDINALITY AS s(selector, position);
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("selectors", selectors.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Serialises changes to the graph until the transaction ends, so two changes that are each acyclic
    /// cannot make a cycle together: the second reads the graph after the first committed.</summary>
    public static async Task LockGraphAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("SELECT pg_advisory_xact_lock(@key)");
        command.Parameters.AddWithValue("key", GraphLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every test with tags or dependencies (the others can be on no cycle), as the unit sees them.</summary>
    public static async Task<List<DependencyNode>> ReadGraphAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            SELECT t.id, t.name,
                   coalesce((SELECT array_agg(g.tag ORDER BY g.tag) FROM test_tags g WHERE g.test_id = t.id), ARRAY[]::text[]),
                   coalesce((SELECT array_agg(d.selector ORDER BY d.position) FROM test_dependencies d WHERE d.test_id = t.id), ARRAY[]::text[])
            FROM tests t
            WHERE t.deleted_at IS NULL
              AND (EXISTS (SELECT 1 FROM test_tags g WHERE g.test_id = t.id) OR EXISTS (SELECT 1 FROM test_dependencies d WHERE d.test_id = t.id))
            """);
        var nodes = new List<DependencyNode>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new DependencyNode(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3)));
        }

        return nodes;
    }

    /// <summary>Which of <paramref name="ids"/> name a test that exists.</summary>
    public static async Task<HashSet<Guid>> ExistingAsync(UnitOfWork unit, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("SELECT id FROM tests WHERE id = ANY(@ids) AND deleted_at IS NULL");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }

    /// <summary>Each test's dependencies as given, in order; a test without any is left out.</summary>
    public async Task<Dictionary<Guid, List<string>>> ForTestsAsync(IReadOnlyCollection<Guid> testIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT test_id, selector FROM test_dependencies WHERE test_id = ANY(@ids) ORDER BY test_id, position");
        command.Parameters.AddWithValue("ids", testIds.ToArray());
        var selectors = new Dictionary<Guid, List<string>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            if (!selectors.TryGetValue(id, out var list))
            {
                selectors[id] = list = [];
            }

            list.Add(reader.GetString(1));
        }

        return selectors;
    }

    /// <summary>The open incidents of the test's dependencies, oldest first: a dependency's own, or the one it
    /// joined (it is down because of its own dependency), so a chain of dependents joins the root's incident.</summary>
    public static async Task<List<DependencyIncident>> OpenDependencyIncidentsAsync(UnitOfWork unit, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = unit.Command($"""
            SELECT DISTINCT ON (i.opened_at, i.id) i.id, d.id, d.name, i.opened_at
            FROM test_dependencies dep
            JOIN tests d ON {Selects} AND d.id <> dep.test_id
            LEFT JOIN alert_state s ON s.test_id = d.id
            JOIN incidents i ON i.resolved_at IS NULL AND i.kind = 'test'
                            AND (i.test_id = d.id OR (s.open_incident_id IS NULL AND i.id = s.joined_incident_id))
            WHERE dep.test_id = @test
            ORDER BY i.opened_at, i.id, d.name, d.id
            """);
        command.Parameters.AddWithValue("test", testId);
        var incidents = new List<DependencyIncident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(new DependencyIncident(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return incidents;
    }

    /// <summary>Lists the test on the incident, if it is still open. The incident row is share-locked first, so a
    /// resolution being committed is waited for and then seen: false, and the caller decides again.</summary>
    public static async Task<bool> TryJoinAsync(UnitOfWork unit, Guid incidentId, Guid testId, Guid runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            WITH target AS (SELECT id FROM incidents WHERE id = @incident AND resolved_at IS NULL FOR SHARE)
            INSERT INTO incident_dependents (incident_id, test_id, joined_at, joined_by_run_id)
            SELECT id, @test, @at, @run FROM target
            ON CONFLICT (incident_id, test_id) DO UPDATE SET recovered_at = NULL, recovered_by_run_id = NULL
            RETURNING 1
            """);
        command.Parameters.AddWithValue("incident", incidentId);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The dependent passed again: noted on the incident it joined (once).</summary>
    public static async Task RecordRecoveryAsync(UnitOfWork unit, Guid incidentId, Guid testId, Guid runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            UPDATE incident_dependents SET recovered_at = @at, recovered_by_run_id = @run
            WHERE incident_id = @incident AND test_id = @test AND recovered_at IS NULL
            """);
        command.Parameters.AddWithValue("incident", incidentId);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The dependents that joined the incident, in the order they joined.</summary>
    public async Task<List<IncidentDependentRow>> DependentsAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT j.test_id, t.name, j.joined_at, j.joined_by_run_id, j.recovered_at, j.recovered_by_run_id
            FROM incident_dependents j JOIN tests t ON t.id = j.test_id
            WHERE j.incident_id = @incident
            ORDER BY j.joined_at, t.name, j.test_id
            """);
        command.Parameters.AddWithValue("incident", incidentId);
        var rows = new List<IncidentDependentRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new IncidentDependentRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetGuid(5)));
        }

        return rows;
    }
}

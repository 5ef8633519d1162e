using System.Diagnostics;
using System.Globalization;
using System.Text;
using Byot.Shared;
using Byot.Shared.Artifacts;
using Byot.Shared.Queue;
using Byot.Shared.Scheduling;
using Byot.Shared.Storage;
using Byot.Shared.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Byot.Bench;

/// <summary>Issue 8's chaos soak: 3 Runner processes, 20 tests on 10-second schedules (passing, failing, slow, noisy),
/// the scheduler ticking and the sweeper sweeping as the timer functions do, and a fault injector on a fixed seed that
/// SIGKILLs and restarts runners, restarts the soak's own Postgres and Azurite, and sends duplicate queue messages.
/// The Docker engine is shared with other work on this machine and is not restarted. At the end every scheduled slot
/// must have exactly one final run, no run executed twice, no container or volume left, and every line the noisy tests
/// printed stored once. Usage: <c>soak [minutes=10] [seed=8]</c>.</summary>
internal static class SoakBench
{
    private const int Tests = 20;
    private const int Runners = 3;
    private const int NoisyLines = 200;
    private static readonly string[] DataFolders = ["pgdata", "azurite", "cache"];

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var root = Path.Combine(Path.GetTempPath(), "byot-soak-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        Console.Error.WriteLine($"soak: {minutes} min, seed {seed}, files in {root}");

        await using var postgres = new PrivatePostgres { DataFolder = Path.Combine(root, "pgdata"), MaxConnections = 200 };
        await postgres.InitializeAsync();
        await using var azurite = new PrivateAzurite { DataFolder = Path.Combine(root, "azurite") };
        await azurite.InitializeAsync();

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = postgres.Server + ";Database=byot_soak",
            ["Byot:Database:MigrateOnStart"] = "false",
            ["Byot:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Byot:Storage:ProvisionOnStart"] = "false",
        };
        await using (var admin = NpgsqlDataSource.Create(postgres.Server + ";Database=postgres"))
        await using (var create = admin.CreateCommand("CREATE DATABASE byot_soak"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Error)).AddByotShared(configuration).BuildServiceProvider();
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        await services.GetRequiredService<StorageProvisioner>().EnsureAsync(cancellationToken);
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await ExecuteAsync(db, """
            CREATE TABLE soak_result_writes (run_id uuid NOT NULL, attempt int NOT NULL, status text NOT NULL);
            CREATE FUNCTION soak_note_result() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO soak_result_writes VALUES (NEW.id, NEW.attempt, NEW.status); RETURN NEW; END $$;
            CREATE TRIGGER soak_note_result AFTER UPDATE ON runs FOR EACH ROW
            WHEN (NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL) EXECUTE FUNCTION soak_note_result();
            """, cancellationToken);

        var kinds = new Dictionary<Guid, string>();
        var upload = services.GetRequiredService<UploadService>();
        for (var i = 0; i < Tests; i++)
        {
            var (kind, script) = (i % 4) switch
            {
                0 => ("passing", "echo ok"),
                1 => ("failing", "echo about to fail\nexit 3"),
                2 => ("slow", "echo slow start\nsleep 6\necho slow done"),
                _ => ("noisy", $"i=1\nwhile [ $i -le {NoisyLines} ]; do echo \"noisy line $i of the soak\"; i=$((i+1)); done"),
            };
            var id = await upload.CreateTestAsync(Parts("#!/bin/sh\n" + script + "\n", $"soak-{kind}-{i}"), cancellationToken);
            kinds[id] = kind;
        }

        var runnerIds = Enumerable.Range(0, Runners).Select(i => $"soak-{suffix}-{i}").ToArray();
        var runners = new SoakProcess?[Runners];
        SoakProcess StartRunner(int i) => SoakProcess.Start(RunnerExecutable(), [], RunnerEnvironment(settings, runnerIds[i], root), Path.Combine(root, runnerIds[i] + ".log"));
        for (var i = 0; i < Runners; i++)
        {
            runners[i] = StartRunner(i);
        }

        await using var events = await ContainerCreations.StartAsync();
        var scheduler = services.GetRequiredService<SchedulerService>();
        var sweeper = services.GetRequiredService<RunSweeper>();
        var queue = services.GetRequiredService<RunQueue>();
        var random = new Random(seed);
        var faults = new Dictionary<string, int>(StringComparer.Ordinal) { ["kill"] = 0, ["pg"] = 0, ["azurite"] = 0, ["dup"] = 0 };
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromMinutes(minutes);

        // Tick and sweep every 10 s at the second (the timer functions tick every 10 s and sweep every 30 s; sweeping
        // more often only brings recovery forward). Faults every 8-20 s.
        var tick = ScheduleParser.Parse("10s", null, 10);
        var nextFault = TimeSpan.FromSeconds(random.Next(8, 20));
        var round = new List<int>();
        await TryAsync(() => ExecuteAsync(db, "UPDATE schedules SET next_run_at = to_timestamp(ceil(extract(epoch FROM now() + interval '2 seconds') / 10) * 10)", cancellationToken));
        while (clock.Elapsed < end)
        {
            await TryAsync(() => scheduler.TickAsync(DateTimeOffset.UtcNow, cancellationToken));
            await TryAsync(() => sweeper.SweepAsync(cancellationToken));
            if (clock.Elapsed >= nextFault)
            {
                // Every kind of fault in each round of four, in a seeded order.
                if (round.Count == 0)
                {
                    round.AddRange(Enumerable.Range(0, 4).OrderBy(_ => random.Next()));
                }

                await InjectAsync(round[0]);
                round.RemoveAt(0);
                nextFault = clock.Elapsed + TimeSpan.FromSeconds(random.Next(8, 20));
            }

            var wait = tick.NextAfter(DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
        }

        // Stop ticking (no new slots); let every runner come back and everything drain, sweeping as the timer would.
        for (var i = 0; i < Runners; i++)
        {
            if (runners[i] is not { HasExited: false })
            {
                runners[i] = StartRunner(i);
            }
        }

        var drainUntil = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < drainUntil && await CountAsync(db, "SELECT count(*) FROM runs WHERE status IN ('queued', 'running')", cancellationToken) > 0)
        {
            await TryAsync(() => sweeper.SweepAsync(cancellationToken));
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken); // containers go after the result is recorded
        foreach (var runner in runners)
        {
            if (runner is not null)
            {
                await runner.TerminateAsync(TimeSpan.FromSeconds(30));
                await runner.DisposeAsync();
            }
        }

        // The figures.
        var slots = await CountAsync(db, "SELECT count(DISTINCT (test_id, scheduled_for)) FROM runs WHERE scheduled_for IS NOT NULL", cancellationToken);
        var final = await CountAsync(db, "SELECT count(*) FROM runs WHERE scheduled_for IS NOT NULL AND status NOT IN ('queued', 'running')", cancellationToken);
        var duplicateRows = await CountAsync(db, "SELECT count(*) - count(DISTINCT (test_id, scheduled_for)) FROM runs WHERE scheduled_for IS NOT NULL", cancellationToken);
        var doubleResults = await CountAsync(db, "SELECT count(*) FROM (SELECT run_id FROM soak_result_writes GROUP BY run_id HAVING count(*) > 1) d", cancellationToken);
        var doubleContainers = events.Duplicates(runnerIds);
        var gaps = await CountAsync(db, """
            SELECT coalesce(sum(greatest(expected - seen, 0)), 0) FROM (
              SELECT test_id, (extract(epoch FROM max(scheduled_for) - min(scheduled_for)) / 10)::bigint + 1 AS expected,
                     count(DISTINCT scheduled_for) AS seen
              FROM runs WHERE scheduled_for IS NOT NULL GROUP BY test_id) s
            """, cancellationToken);
        var unfinished = slots - final;

        // One incident is one page: its trigger goes into the outbox once per route, whatever was redelivered.
        var incidents = await CountAsync(db, "SELECT count(*) FROM incidents", cancellationToken);
        var doublePages = await CountAsync(db, """
            SELECT count(*) FROM (SELECT incident_id, channel FROM notifications WHERE kind = 'trigger'
                                  GROUP BY incident_id, channel HAVING count(*) > 1) d
            """, cancellationToken);
        var orphans = await OrphansAsync(runnerIds, cancellationToken);
        var (lostLines, checkedLogs) = await LostLinesAsync(db, services.GetRequiredService<LogStore>(), kinds, cancellationToken);
        var statuses = await StatusesAsync(db, cancellationToken);
        Console.Error.WriteLine($"soak: statuses {statuses}; faults kill={faults["kill"]} pg={faults["pg"]} azurite={faults["azurite"]} dup={faults["dup"]}; " +
            $"duplicate rows={duplicateRows} double results={doubleResults} double containers={doubleContainers}; gaps={gaps} unfinished={unfinished}; logs checked={checkedLogs}");

        await postgres.DisposeAsync();
        await azurite.StopAsync();
        foreach (var data in DataFolders.Select(d => Path.Combine(root, d)).Where(Directory.Exists))
        {
            Directory.Delete(data, recursive: true); // the runners' logs stay for a look afterwards
        }

        return new BenchLine("soak",
        [
            ("slots", slots),
            ("final", final),
            ("duplicates", duplicateRows + doubleResults + doubleContainers),
            ("missing", gaps + unfinished),
            ("orphans", orphans),
            ("incidents", incidents),
            ("double_pages", doublePages),
        ], string.Create(CultureInfo.InvariantCulture,
            $"lost_lines={lostLines} minutes={minutes} seed={seed} runner_kills={faults["kill"]} pg_restarts={faults["pg"]} azurite_restarts={faults["azurite"]} dup_messages={faults["dup"]} target:duplicates=0,missing=0,orphans=0,double_pages=0,lost_lines=0"));

        async Task InjectAsync(int fault)
        {
            try
            {
                switch (fault)
                {
                    case 0:
                        var i = random.Next(Runners);
                        Console.Error.WriteLine($"soak: {clock.Elapsed:mm\\:ss} SIGKILL {runnerIds[i]}");
                        if (runners[i] is { } victim)
                        {
                            await victim.KillAsync();
                            await victim.DisposeAsync();
                        }

                        await Task.Delay(TimeSpan.FromSeconds(random.Next(1, 5)), cancellationToken);
                        runners[i] = StartRunner(i);
                        faults["kill"]++;
                        break;
                    case 1:
                        Console.Error.WriteLine($"soak: {clock.Elapsed:mm\\:ss} restart postgres");
                        await postgres.StopAsync();
                        await Task.Delay(TimeSpan.FromSeconds(random.Next(1, 4)), cancellationToken);
                        await postgres.StartAsync();
                        NpgsqlConnection.ClearAllPools();
                        faults["pg"]++;
                        break;
                    case 2:
                        Console.Error.WriteLine($"soak: {clock.Elapsed:mm\\:ss} restart azurite");
                        await azurite.StopAsync();
                        await Task.Delay(TimeSpan.FromSeconds(random.Next(1, 4)), cancellationToken);
                        await azurite.StartAsync();
                        faults["azurite"]++;
                        break;
                    default:
                        var recent = await RecentRunsAsync(db, random.Next(3, 8), cancellationToken);
                        Console.Error.WriteLine($"soak: {clock.Elapsed:mm\\:ss} {recent.Count} duplicate messages");
                        foreach (var run in recent)
                        {
                            await queue.EnqueueAsync(run, cancellationToken);
                        }

                        faults["dup"] += recent.Count;
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine("soak: fault injection failed: " + e.Message);
            }
        }
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is NpgsqlException or Azure.RequestFailedException or AggregateException or HttpRequestException or IOException)
        {
            // A restarting service: the next tick or sweep catches up.
        }
    }

    private static string RunnerExecutable()
    {
        var published = Environment.GetEnvironmentVariable("BYOT_RUNNER_PUBLISH_DIR");
        if (!string.IsNullOrEmpty(published))
        {
            return Path.Combine(published, "Byot.Runner");
        }

        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var executable = Path.Combine(BenchServices.Root, "Byot.Runner", "bin", output.Parent!.Name, output.Name, "Byot.Runner");
        return File.Exists(executable) ? executable : throw new FileNotFoundException("Build Byot.Runner first", executable);
    }

    private static Dictionary<string, string> RunnerEnvironment(Dictionary<string, string?> settings, string runnerId, string root)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Byot:Runner:Id"] = runnerId,
            ["Byot:Runner:MaxConcurrentRuns"] = "4",
            ["Byot:Runner:VisibilityTimeoutSeconds"] = "20",
            ["Byot:Runner:MaxIdlePollMilliseconds"] = "500",
            ["Byot:Runner:InfraRetryDelaySeconds"] = "2",
            ["Byot:Runner:StopGraceSeconds"] = "1",
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(root, "cache", runnerId),
            ["Byot:Runner:Runtimes:go:Image"] = BenchEnvironment.BusyboxImage,
            ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
        };
        var environment = all.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!, StringComparer.Ordinal);
        environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        environment["DOTNET_ENVIRONMENT"] = "Production";
        return environment;
    }

    private static async Task<List<Byot.Shared.Queue.QueuedRun>> RecentRunsAsync(NpgsqlDataSource db, int count, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT id, test_id, location FROM runs ORDER BY queued_at DESC LIMIT @n");
        command.Parameters.AddWithValue("n", count);
        var ids = new List<Byot.Shared.Queue.QueuedRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), TimeSpan.Zero));
        }

        return ids;
    }

    private static async Task<string> StatusesAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT status || CASE WHEN status IN ('skipped', 'infra_error') THEN '(' || left(coalesce(error, ''), 60) || ')' ELSE '' END, count(*)
            FROM runs GROUP BY 1 ORDER BY 1
            """);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            parts.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
        }

        return string.Join(' ', parts);
    }

    /// <summary>Every noisy run that ended passed or failed must hold its 200 lines, each once and in order.</summary>
    private static async Task<(long Lost, int Checked)> LostLinesAsync(NpgsqlDataSource db, LogStore logs, Dictionary<Guid, string> kinds, CancellationToken cancellationToken)
    {
        var noisy = kinds.Where(k => k.Value == "noisy").Select(k => k.Key).ToArray();
        await using var command = db.CreateCommand("SELECT id FROM runs WHERE test_id = ANY(@t) AND status IN ('passed', 'failed')");
        command.Parameters.AddWithValue("t", noisy);
        var runIds = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                runIds.Add(reader.GetGuid(0));
            }
        }

        long lost = 0;
        foreach (var runId in runIds)
        {
            await using var stream = await logs.OpenReadAsync(RunStore.LogBlobName(runId), 0, cancellationToken);
            var text = stream is null ? "" : await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync(cancellationToken);
            var lines = text.Split('\n').Where(l => l.Contains("[stdout] noisy line ", StringComparison.Ordinal)).ToList();
            var expected = Enumerable.Range(1, NoisyLines).Select(i => $"[stdout] noisy line {i} of the soak").ToList();
            var matched = 0;
            foreach (var line in lines)
            {
                if (matched < expected.Count && line.EndsWith(expected[matched], StringComparison.Ordinal))
                {
                    matched++;
                }
            }

            lost += (NoisyLines - matched) + Math.Max(0, lines.Count - NoisyLines);
        }

        return (lost, runIds.Count);
    }

    private static async Task<int> OrphansAsync(string[] runnerIds, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var runnerId in runnerIds)
        {
            var containers = await BenchServices.ShellAsync("docker", ["ps", "-aq", "--filter", $"label=byot.runner={runnerId}"], cancellationToken);
            var volumes = await BenchServices.ShellAsync("docker", ["volume", "ls", "-q", "--filter", $"label=byot.runner={runnerId}"], cancellationToken);
            total += containers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length + volumes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        return total;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var command = db.CreateCommand(sql);
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
            catch (NpgsqlException) when (attempt < 20)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private static async IAsyncEnumerable<UploadPart> Parts(string script, string name)
    {
        await Task.Yield();
        yield return new UploadPart("runtime", null, new MemoryStream("go"u8.ToArray()));
        yield return new UploadPart("severity", null, new MemoryStream("P2"u8.ToArray()));
        yield return new UploadPart("name", null, new MemoryStream(Encoding.UTF8.GetBytes(name)));
        yield return new UploadPart("schedule", null, new MemoryStream("10s"u8.ToArray()));
        yield return new UploadPart("timeout", null, new MemoryStream("30"u8.ToArray()));
        yield return new UploadPart("binary", "test.sh", new MemoryStream(Encoding.UTF8.GetBytes(script)));
    }
}

using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Byot.Testing;

/// <summary>A throwaway Postgres cluster of this test class's own (initdb + pg_ctl as the postgres user, on a free
/// port, in a temporary folder), so a test can stop and restart the server without touching the one other tests
/// share.</summary>
/// <remarks>The soak benchmark uses it too, with its data in the soak's folder and more connections.</remarks>
public sealed class PrivatePostgres : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>Its data folder: a fresh temporary one unless set (the soak keeps it with its other files).</summary>
    public string DataFolder { get; init; } = Path.Combine(Path.GetTempPath(), "byot-pg-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Connections the server accepts.</summary>
    public int MaxConnections { get; init; } = 100;


    public int Port { get; } = FreePort();

    /// <summary>Server connection string (add <c>;Database=…</c>).</summary>
    public string Server => $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Timeout=5";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataFolder);
        await MustAsync("chown", ["postgres:postgres", DataFolder]);
        await AsPostgresAsync("initdb", ["-D", DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await File.AppendAllTextAsync(Path.Combine(DataFolder, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{DataFolder}'
            max_connections = {MaxConnections}
            fsync = off
            synchronous_commit = off
            full_page_writes = off

            """);
        await StartAsync();
    }

    public Task StartAsync() => AsPostgresAsync("pg_ctl", ["-D", DataFolder, "-l", Path.Combine(DataFolder, "server.log"), "-w", "-t", "60", "start"]);

    /// <summary>A fast shutdown: open connections are terminated, as in a real restart or failover.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"]);

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        await Command.RunAsync("runuser", ["-u", "postgres", "--", PgBin("pg_ctl"), "-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    private static string PgBin(string tool)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => new Version(Path.GetFileName(d) + ".0")).Last();
        return Path.Combine(bin, "bin", tool);
    }

    private static Task AsPostgresAsync(string tool, string[] arguments) =>
        Environment.UserName == "root"
            ? MustAsync("runuser", ["-u", "postgres", "--", PgBin(tool), .. arguments])
            : MustAsync("sudo", ["-u", "postgres", PgBin(tool), .. arguments]);

    private static async Task MustAsync(string file, string[] arguments)
    {
        var result = await Command.RunAsync(file, arguments, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}

using System.Net;
using System.Net.Sockets;

namespace Byot.Bench;

/// <summary>The soak's own throwaway Postgres cluster (initdb + pg_ctl as the postgres user, free port, temp folder),
/// which the fault injector restarts; the shared server is never touched.</summary>
internal sealed class SoakPostgres : IAsyncDisposable
{
    private readonly string data;

    public SoakPostgres(string root)
    {
        data = Path.Combine(root, "pgdata");
    }

    public int Port { get; } = FreePort();

    public string Server => $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Timeout=5";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(data);
        await BenchServices.ShellAsync("chown", ["postgres:postgres", data], cancellationToken);
        await AsPostgresAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{data}'
            max_connections = 200
            fsync = off
            synchronous_commit = off
            full_page_writes = off

            """, cancellationToken);
        await StartAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        AsPostgresAsync("pg_ctl", ["-D", data, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start"], cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        AsPostgresAsync("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
    }

    private static string PgBin(string tool)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => new Version(Path.GetFileName(d) + ".0")).Last();
        return Path.Combine(bin, "bin", tool);
    }

    private static Task<string> AsPostgresAsync(string tool, string[] arguments, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? BenchServices.ShellAsync("runuser", ["-u", "postgres", "--", PgBin(tool), .. arguments], cancellationToken)
            : BenchServices.ShellAsync("sudo", ["-u", "postgres", PgBin(tool), .. arguments], cancellationToken);
}

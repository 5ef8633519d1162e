using System.Globalization;
using System.Net.Sockets;

namespace Byot.Bench;

/// <summary>The soak's own Azurite (the npm package scripts/services.sh installed) on free ports with its own data
/// folder, which the fault injector restarts; the shared one is never touched.</summary>
internal sealed class SoakAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string root;
    private SoakProcess? process;

    public SoakAzurite(string root)
    {
        this.root = root;
    }

    public int BlobPort { get; } = SoakPostgres.FreePort();

    public int QueuePort { get; } = SoakPostgres.FreePort();

    public int TablePort { get; } = SoakPostgres.FreePort();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var state = Environment.GetEnvironmentVariable("BYOT_STATE_DIR") ?? "/var/tmp/byot-services";
        var executable = Directory.GetDirectories(state, "azurite-*").Select(d => Path.Combine(d, "node_modules", ".bin", "azurite")).First(File.Exists);
        var data = Path.Combine(root, "azurite");
        Directory.CreateDirectory(data);
        process = SoakProcess.Start(executable,
        [
            "--silent", "--skipApiVersionCheck", "--loose", "--location", data,
            "--blobHost", "127.0.0.1", "--blobPort", Port(BlobPort), "--queueHost", "127.0.0.1", "--queuePort", Port(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(TablePort),
        ], new Dictionary<string, string>(), Path.Combine(root, "azurite.log"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ListeningAsync(BlobPort, cancellationToken) || !await ListeningAsync(QueuePort, cancellationToken))
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new InvalidOperationException("the soak's azurite did not start; see " + Path.Combine(root, "azurite.log"));
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.TerminateAsync(TimeSpan.FromSeconds(20));
            await process.DisposeAsync();
            process = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<bool> ListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

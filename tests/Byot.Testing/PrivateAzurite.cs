using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Byot.Testing;

/// <summary>An Azurite of this test class's own (the npm package scripts/services.sh installed), on free ports with
/// its own data folder, so a test can stop and restart Blob and Queue storage without touching the shared one.</summary>
/// <remarks>The soak benchmark uses it too, with its data in the soak's folder.</remarks>
public sealed class PrivateAzurite : IAsyncLifetime, IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Its data folder: a fresh temporary one unless set (the soak keeps it with its other files).</summary>
    public string DataFolder { get; init; } = Path.Combine(Path.GetTempPath(), "byot-azurite-" + Guid.NewGuid().ToString("N")[..10]);

    private Process? process;

    public int BlobPort { get; } = PrivatePostgres.FreePort();

    public int QueuePort { get; } = PrivatePostgres.FreePort();

    public int TablePort { get; } = PrivatePostgres.FreePort();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    public bool Running => process is { HasExited: false };

    public static string Executable()
    {
        var state = Environment.GetEnvironmentVariable("BYOT_STATE_DIR") ?? "/var/tmp/byot-services";
        var found = Directory.Exists(state)
            ? Directory.GetDirectories(state, "azurite-*").Select(d => Path.Combine(d, "node_modules", ".bin", "azurite")).FirstOrDefault(File.Exists)
            : null;
        return found ?? throw new FileNotFoundException("azurite is not installed; run scripts/services.sh start", state);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataFolder);
        await StartAsync();
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--location", DataFolder,
            "--blobHost", "127.0.0.1", "--blobPort", Port(BlobPort), "--queueHost", "127.0.0.1", "--queuePort", Port(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(TablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ListeningAsync(BlobPort) || !await ListeningAsync(QueuePort))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "private azurite did not start");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops it the way a service stop does (SIGTERM), so what it has stored survives the restart.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        process = null;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<bool> ListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

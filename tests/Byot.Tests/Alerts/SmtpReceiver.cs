using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Byot.Tests.Alerts;

/// <summary>A minimal SMTP server on 127.0.0.1 that speaks the real protocol (EHLO, MAIL, RCPT, DATA with dot
/// unstuffing, QUIT) and keeps what it accepted. <see cref="RejectRecipients"/> makes it refuse every RCPT with 550.</summary>
public sealed partial class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<SmtpMessage> messages = new();
    private readonly ConcurrentQueue<string> transcript = new();
    private Task loop = Task.CompletedTask;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public bool RejectRecipients { get; set; }

    public IReadOnlyList<SmtpMessage> Messages => [.. messages];

    /// <summary>Every command the client sent, in order (DATA content excluded).</summary>
    public IReadOnlyList<string> Transcript => [.. transcript];

    public static SmtpReceiver Start()
    {
        var receiver = new SmtpReceiver();
        receiver.listener.Start();
        receiver.loop = receiver.AcceptAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 byot-test ESMTP ready");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                transcript.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteAsync("250-byot-test greets you\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
                        break;
                    case "HELO":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RSET":
                        from = null;
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        if (RejectRecipients)
                        {
                            await writer.WriteLineAsync("550 5.1.1 No such mailbox here");
                        }
                        else
                        {
                            to.Add(Address(line));
                            await writer.WriteLineAsync("250 2.1.5 OK");
                        }

                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        messages.Enqueue(new SmtpMessage(from ?? "", [.. to], data.ToString()));
                        await writer.WriteLineAsync("250 2.0.0 Queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
    }

    private static string Address(string line) => AddressPattern().Match(line).Groups[1].Value;

    [GeneratedRegex("<([^>]*)>")]
    private static partial Regex AddressPattern();
}

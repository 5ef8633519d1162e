using Byot.Runner.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Holds a Postgres connection that LISTENs for queued runs and wakes the receive loop. When the connection
/// drops (Postgres restarts, network cut) it reconnects, and on every (re)connect wakes the loop once, so a signal
/// lost meanwhile costs no more than one poll.</summary>
internal sealed partial class RunWakeListener(
    RunSignals signals,
    RunWakeSignal wake,
    LocationReceiver receiver,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<RunWakeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(options.Value.MaxIdlePollMilliseconds);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signals.ListenAsync(
                    wakeUp =>
                    {
                        if (receiver.Wants(wakeUp))
                        {
                            wake.Wake(wakeUp.VisibleAt);
                        }
                    },
                    () =>
                    {
                        failing = false;
                        wake.Wake(time.GetUtcNow());
                    },
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Any failure of the listening connection: the runner keeps polling meanwhile.
                if (!failing)
                {
                    LogListenFailed(e);
                    failing = true;
                }

                try
                {
                    await Task.Delay(retry, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for queued runs failed; polling until the connection is back")]
    private partial void LogListenFailed(Exception exception);
}

using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Cases;
using Byot.Shared.Domain;
using Byot.Shared.Secrets;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>One attempt at a claimed run: preflight, then the log and the container (prepared side by side), then
/// the execution. Whatever goes wrong becomes an outcome here: the test's own fault fails it once, a dependency's
/// fault is an infra_error, a lost lease stops it. The caller removes the returned container; when no outcome comes
/// back (the runner is stopping), the container is removed here.</summary>
internal sealed partial class RunAttempt(
    RunPreflight preflight,
    RunLogs logs,
    ContainerPreparation containers,
    RunExecution execution,
    IOptions<RunnerOptions> options,
    ILogger<RunAttempt> logger)
{
    public async Task<(RunOutcome Outcome, ContainerHandle? Handle)> RunAsync(
        ClaimedRun claimed, string user, RunTry @try, CancellationToken lost, CancellationToken cancellationToken)
    {
        var checkedRun = await preflight.CheckAsync(claimed, cancellationToken);
        if (checkedRun.Stopped is { } stopped)
        {
            return (stopped, null);
        }

        var run = claimed.Run;
        var masker = new SecretMasker(checkedRun.Secrets.Values);
        var cases = new CaseCollector(CaseLimits.Default with { MaxCases = Math.Min(@try.MaxCases, options.Value.MaxCasesPerRun) });
        ContainerHandle? handle = null;
        RunLogWriter? log = null;
        try
        {
            // The log blob is opened while the container is prepared: on the critical path, neither waits on the other.
            var logOpened = logs.OpenAsync(run, masker, cases, cancellationToken);
            PreparedContainer container;
            try
            {
                container = await containers.CreateAsync(claimed, checkedRun, user, @try, cancellationToken);
                handle = container.Handle;
            }
            finally
            {
                // Also when preparing failed: the infrastructure error is then written to the run's log.
                log = await logOpened;
            }

            return (await execution.ExecuteAsync(claimed, container, log, masker, cases, @try, lost, cancellationToken), handle);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Another runner took the run over: stop here; the caller removes this container and records nothing.
            return (RunOutcomes.InfraError("The run's lease was lost to another runner."), handle);
        }
        catch (Exception e) when (e is BundleRefusedException or ContainerRefusedException && !cancellationToken.IsCancellationRequested)
        {
            // The test's own bundle or settings are at fault: fail once with the reason, never an infra_error retry
            // loop and an operator page.
            var error = e is BundleRefusedException ? "The test's bundle was refused: " + e.Message : e.Message;
            LogRefused(run.Id, error);
            await TryCompleteLogAsync(log, error);
            return (RunOutcomes.Failed(error, log?.Bytes ?? 0), handle);
        }
        catch (Exception e) when (InfrastructureFaults.IsInfrastructure(e) && !cancellationToken.IsCancellationRequested)
        {
            LogInfraError(e, run.Id);
            await TryCompleteLogAsync(log, "run ended with an infrastructure error: " + e.Message);
            return (RunOutcomes.InfraError(e.Message, log?.Bytes ?? 0), handle);
        }
        catch (Exception) when (handle is not null)
        {
            // The run goes on without a result (the runner is stopping, or a fault nobody expected): its message
            // reappears, and this attempt's container and volume must not outlive it until the next start's sweep.
            await execution.RemoveQuietlyAsync(handle);
            throw;
        }
        finally
        {
            if (log is not null)
            {
                await log.DisposeAsync();
            }
        }
    }

    private static async Task TryCompleteLogAsync(RunLogWriter? log, string line)
    {
        if (log is null)
        {
            return;
        }

        try
        {
            await log.WriteSystemLineAsync(line, CancellationToken.None);
            await log.CompleteAsync(CancellationToken.None);
        }
        catch (Exception e) when (InfrastructureFaults.IsInfrastructure(e))
        {
            // The run is already an infra_error; a log we cannot write adds nothing to fix.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed before it started: {Reason}")]
    private partial void LogRefused(Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} hit an infrastructure error")]
    private partial void LogInfraError(Exception exception, Guid runId);
}

using Byot.Runner.Containers;
using Byot.Runner.Isolation;
using Byot.Runner.Options;
using Byot.Shared.Domain;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Turns a claimed run into a created (not yet started) container: the isolation the engine can give, the
/// unpacked artifact, the hardened spec, and the baked app image where there is one.</summary>
internal sealed partial class ContainerPreparation(
    ArtifactCache cache,
    AppImages appImages,
    IContainerEngine engine,
    EngineRuntimesProbe isolation,
    IOptions<RunnerOptions> options,
    ILogger<ContainerPreparation> logger)
{
    // The runner warns once that it cannot watch volume sizes, not once per run.
    private int unwatchedWarned;

    public async Task<PreparedContainer> CreateAsync(ClaimedRun claimed, PreflightResult preflight, string user, RunTry @try, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (run, test, artifact) = claimed;

        // An engine that cannot be asked, or cannot give what the test needs, is an infrastructure error like any
        // other engine fault: retried, written to the run's log, never the test's failure.
        var plan = IsolationPlanner.Plan(await isolation.GetAsync(cancellationToken), o, test.Isolation, test.NetworkEnabled);
        if (plan.Refusal is { } unmet)
        {
            throw new ContainerEngineException(unmet);
        }

        var archive = await cache.GetAppArchiveAsync(artifact, cancellationToken);
        var spec = ContainerSpecs.For(run, test, artifact, preflight.Runtime!, archive, user, o, preflight.Secrets, @try) with
        {
            EngineRuntime = plan.EngineRuntime, PidsLimit = plan.PidsLimit, ProcessLimit = plan.ProcessLimit,
        };
        if (await appImages.GetAsync(spec.Image, artifact, archive, cancellationToken) is { } baked)
        {
            spec = spec with { Image = baked, AppInImage = true };
        }

        var handle = await engine.CreateAsync(spec, cancellationToken);
        if (handle.Unwatched && Interlocked.Exchange(ref unwatchedWarned, 1) == 0)
        {
            LogVolumesUnwatched(o.ArtifactsVolumeMb);
        }

        return new PreparedContainer(handle, plan);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The /artifacts size limit ({ArtifactsMb} MiB) is NOT enforced: this runner cannot read the engine's volume directory to watch it. Run the runner where it can, or set Byot:Runner:VolumeQuota=Engine on an engine with XFS project quotas (docs/security.md)")]
    private partial void LogVolumesUnwatched(int artifactsMb);
}

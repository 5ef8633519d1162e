using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Bakes each bundle version into a local image over its runtime image, once per runner, so a run's /app is
/// part of the read-only root and nothing is copied per run. Images are tagged by artifact sha256, runtime image id
/// and runner; past <see cref="RunnerOptions.MaxAppImages"/> the least recently used ones are removed.</summary>
internal sealed partial class AppImages(IContainerEngine engine, IOptions<RunnerOptions> options, TimeProvider time, ILogger<AppImages> logger)
{
    public const string Repository = "byot-app";

    private readonly ConcurrentDictionary<string, Lazy<Task>> building = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastUsed = new(StringComparer.Ordinal);

    /// <summary>The image to run <paramref name="artifact"/> in with its app baked in; null when it is not baked (a
    /// single file, baking off, or a runtime image missing, which creating the container then reports).</summary>
    public async Task<string?> GetAsync(string runtimeImage, TestArtifact artifact, string appArchivePath, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.MaxAppImages == 0 || BundleFormats.Detect(artifact.FileName) == BundleFormat.None
            || await engine.ImageIdAsync(runtimeImage, cancellationToken) is not { } baseId)
        {
            return null;
        }

        var tag = TagFor(o.Id, artifact.Sha256, baseId);
        lastUsed[tag] = time.GetUtcNow();
        if (await engine.ImageIdAsync(tag, cancellationToken) is not null)
        {
            return tag;
        }

        var lazy = building.GetOrAdd(tag, t => new Lazy<Task>(() => BuildAsync(t, runtimeImage, baseId, artifact, appArchivePath)));
        try
        {
            await lazy.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
            {
                building.TryRemove(new KeyValuePair<string, Lazy<Task>>(tag, lazy));
            }
        }

        return tag;
    }

    /// <summary>Removes this runner's least recently used app images beyond the limit; one still used by a
    /// container stays and is tried again after the next bake.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var images = await engine.ListAppImagesAsync(o.Id, cancellationToken);
        var stale = images
            .OrderByDescending(i => lastUsed.TryGetValue(i.Tag, out var used) && used > i.Created ? used : i.Created)
            .Skip(o.MaxAppImages);
        foreach (var image in stale)
        {
            if (await engine.RemoveImageAsync(image.Tag, cancellationToken))
            {
                lastUsed.TryRemove(image.Tag, out _);
                LogRemoved(image.Tag);
            }
        }
    }

    public static string TagFor(string runnerId, string sha256, string baseImageId)
    {
        var scope = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runnerId + "\n" + baseImageId)))[..16];
        return $"{Repository}:{sha256[..Math.Min(40, sha256.Length)]}-{scope}";
    }

    private async Task BuildAsync(string tag, string runtimeImage, string baseId, TestArtifact artifact, string appArchivePath)
    {
        // Not tied to one run's token: concurrent runs of the same version wait for the same bake.
        var o = options.Value;
        var context = appArchivePath + $".{Guid.NewGuid():N}.context";
        try
        {
            await AppImageContext.WriteAsync(context, runtimeImage, appArchivePath, CancellationToken.None);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ContainerLabels.Managed] = "true",
                [ContainerLabels.Runner] = o.Id,
                [ContainerLabels.Artifact] = artifact.Sha256,
                [ContainerLabels.BaseImage] = baseId,
            };
            await using (var stream = File.OpenRead(context))
            {
                await engine.BuildImageAsync(tag, stream, labels, CancellationToken.None);
            }

            LogBaked(tag, runtimeImage);
        }
        finally
        {
            File.Delete(context);
        }

        try
        {
            await PruneAsync(CancellationToken.None);
        }
        catch (ContainerEngineException e)
        {
            LogPruneFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Baked app image {Tag} over {RuntimeImage}")]
    private partial void LogBaked(string tag, string runtimeImage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed unused app image {Tag}")]
    private partial void LogRemoved(string tag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing unused app images failed; retried after the next bake")]
    private partial void LogPruneFailed(Exception exception);
}

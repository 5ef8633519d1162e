using Byot.Shared.Uploads.Direct;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Timers;

/// <summary>Removes direct uploads nobody committed before they expired, staging blob and row.</summary>
public sealed class UploadFunctions(DirectUploadService uploads)
{
    public const string SweepSchedule = "0 */5 * * * *";

    [Function("SweepUploads")]
    public async Task Sweep([TimerTrigger(SweepSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await uploads.SweepAsync(cancellationToken);
}

using System.ComponentModel.DataAnnotations;
using Byot.Shared.Locations;

namespace Byot.Shared.Options;

/// <summary>Where tests can run from, and how many queues carry each location's runs (docs/scale.md).</summary>
public sealed class LocationOptions : IValidatableObject
{
    public const string Section = "Byot:Locations";

    /// <summary>Locations a test may list besides <c>default</c> (each needs Runners with that <c>Byot:Runner:Location</c>).</summary>
    public IList<string> Known { get; set; } = [];

    /// <summary>Queues per location; a run goes to the shard of its test id. Raise it past one queue's ~2,000 messages/s.</summary>
    [Range(1, Locations.QueueShards.MaxShards)]
    public int QueueShards { get; set; } = 1;

    /// <summary>While lowering <see cref="QueueShards"/>: the old count, so Runners keep receiving from the shards no
    /// longer sent to until they are empty (docs/scale.md, "Changing the shard count"). 0 when not draining.</summary>
    [Range(0, Locations.QueueShards.MaxShards)]
    public int DrainQueueShards { get; set; }

    /// <summary>The default location and every known one, in configuration order.</summary>
    public IReadOnlyList<string> All => [LocationNames.Default, .. Known.Where(k => k != LocationNames.Default).Distinct(StringComparer.Ordinal)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in Known.Where(n => !LocationNames.IsValid(n)))
        {
            yield return new ValidationResult(
                $"Byot:Locations:Known has '{name}': a location is lower case letters, digits and single dashes, a letter first, at most {LocationNames.MaxLength} characters.");
        }
    }
}

using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Chromium is heavy on a loaded machine: browser runs go one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PlaywrightCollection
{
    public const string Name = "playwright";
}

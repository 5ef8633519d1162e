using System.Reflection;
using System.Text.RegularExpressions;
using Byot.Shared.Problems;
using Byot.Tests.Deploy;
using Xunit;

namespace Byot.Tests.Shared;

/// <summary>Storage owns SQL and connections: no production file outside <c>Byot.Shared/Storage/</c> uses Npgsql,
/// and Byot.Shared does not speak HTTP (its errors are typed; the Functions host picks the status).</summary>
public sealed partial class StorageBoundaryTests
{
    // Still to move, by the reshaping of alert evaluation; and the composition root, which builds the data source.
    private static readonly string[] NotYetMoved = ["Byot.Shared/Alerts/", "Byot.Shared/ServiceCollectionExtensions.cs"];
    private static readonly string[] Projects = ["Byot.Shared", "Byot.Functions", "Byot.Runner", "Byot.Cli"];

    [Fact]
    public void Only_Storage_uses_Npgsql()
    {
        var offenders = Projects
            .SelectMany(project => Directory.EnumerateFiles(Repository.Path(project), "*.cs", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal))
            .Where(file => !file.StartsWith("Byot.Shared/Storage/", StringComparison.Ordinal))
            .Where(file => !NotYetMoved.Any(allowed => file.StartsWith(allowed, StringComparison.Ordinal)))
            .Where(file => NpgsqlUse().IsMatch(File.ReadAllText(Repository.Path(file))))
            .ToList();

        Assert.True(offenders.Count == 0, "Npgsql outside Byot.Shared/Storage/: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Byot_Shared_does_not_reference_ASP_NET_Core()
    {
        var references = typeof(DomainException).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(DomainException).Assembly.GetTypes(), t => t.IsSubclassOf(typeof(Exception)) && t.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance) is not null);
    }

    // A type or namespace of the driver, not the word in a comment.
    [GeneratedRegex(@"\bNpgsql(?:[A-Z]\w*|\.|;)")]
    private static partial Regex NpgsqlUse();
}

using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>docs/architecture.md's rules of what may import what, checked over the built assemblies' references and a
/// scan of the sources (code only: comments and strings may name anything), and its folder map against the tree.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] ProductionProjects = ["Byot.Shared", "Byot.Runner", "Byot.Functions", "Byot.Cli"];

    private static readonly Assembly Shared = typeof(Byot.Shared.Domain.RunStatus).Assembly;
    private static readonly Assembly Functions = typeof(Byot.Functions.Http.HealthFunctions).Assembly;
    private static readonly Assembly Runner = typeof(Byot.Runner.Containers.IContainerEngine).Assembly;
    private static readonly Assembly Cli = typeof(Byot.Cli.Api.ByotClient).Assembly;

    [Fact]
    public void Npgsql_is_named_only_in_storage_and_the_composition_root()
    {
        var offenders = CodeFiles(ProductionProjects)
            .Where(f => !f.Path.StartsWith("Byot.Shared/Storage/", StringComparison.Ordinal) && f.Path != "Byot.Shared/ServiceCollectionExtensions.cs")
            .Where(f => NpgsqlName().IsMatch(f.Code))
            .Select(f => f.Path);

        AssertOnly(offenders);
    }

    [Fact]
    public void Storage_does_not_import_alerts()
    {
        var offenders = CodeFiles("Byot.Shared/Storage").Where(f => AlertsName().IsMatch(f.Code)).Select(f => f.Path);

        AssertOnly(offenders);
    }

    [Fact]
    public void Docker_dotnet_is_named_only_in_the_engine_file()
    {
        var offenders = CodeFiles(ProductionProjects)
            .Where(f => f.Path != "Byot.Runner/Containers/DockerContainerEngine.cs" && DockerName().IsMatch(f.Code))
            .Select(f => f.Path);

        AssertOnly(offenders);
    }

    [Fact]
    public void Production_code_reads_the_clock_only_through_the_injected_time_provider()
    {
        // The CLI is a tool of its own, outside the hosts' service containers.
        var offenders = CodeFiles("Byot.Shared", "Byot.Runner", "Byot.Functions").Where(f => WallClock().IsMatch(f.Code)).Select(f => f.Path);

        AssertOnly(offenders);
    }

    [Fact]
    public void The_domain_imports_only_system_namespaces()
    {
        var offenders = CodeFiles("Byot.Shared/Domain")
            .Where(f => UsingDirective().Matches(f.Code).Any(m => !m.Groups[1].Value.StartsWith("System", StringComparison.Ordinal)))
            .Select(f => f.Path);

        AssertOnly(offenders);
    }

    [Fact]
    public void Shared_is_not_http_and_the_hosts_do_not_reference_each_other()
    {
        Assert.DoesNotContain(References(Shared), n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal) || n.StartsWith("Docker.DotNet", StringComparison.Ordinal)
            || n.StartsWith("Byot.", StringComparison.Ordinal));
        Assert.DoesNotContain("Byot.Runner", References(Functions));
        Assert.DoesNotContain("Byot.Functions", References(Runner));
        Assert.DoesNotContain("Docker.DotNet", References(Functions));
        Assert.DoesNotContain(References(Cli), n => n.StartsWith("Byot.", StringComparison.Ordinal));
        foreach (var production in new[] { Shared, Functions, Runner, Cli })
        {
            Assert.DoesNotContain("Byot.Testing", References(production));
        }
    }

    [Fact]
    public void Every_folder_of_the_production_projects_is_on_the_map()
    {
        var map = Repository.ReadText("docs", "architecture.md");
        var missing = ProductionProjects
            .SelectMany(project => Directory.GetDirectories(Repository.Path(project))
                .Select(Path.GetFileName)
                .Where(name => name is not ("bin" or "obj" or "node_modules") && !name!.StartsWith('.'))
                .Where(name => !map.Contains($"`{name}/`", StringComparison.Ordinal))
                .Select(name => $"{project}/{name}/"))
            .ToList();

        Assert.True(missing.Count == 0, "docs/architecture.md does not name: " + string.Join(", ", missing));
    }

    private static void AssertOnly(IEnumerable<string> offenders)
    {
        var found = offenders.Order(StringComparer.Ordinal).ToList();
        Assert.True(found is [], "breaks the rule: " + string.Join(", ", found));
    }

    private static HashSet<string> References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Each C# file below the folders, with comments and string literals blanked out.</summary>
    private static IEnumerable<(string Path, string Code)> CodeFiles(params string[] folders) =>
        folders.SelectMany(folder => Directory.EnumerateFiles(Repository.Path(folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal))
            .Select(file => (Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'), CommentsAndStrings().Replace(File.ReadAllText(file), " ")));

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"\bNpgsql\w*\b")]
    private static partial Regex NpgsqlName();

    [GeneratedRegex(@"\bByot\.Shared\.Alerts\b|\busing\s+Byot\.Shared\.Alerts\b|\bAlerts\.\w+")]
    private static partial Regex AlertsName();

    [GeneratedRegex(@"\bDateTime(?:Offset)?\.(?:UtcNow|Now|Today)\b|\bStopwatch\b|\bEnvironment\.TickCount")]
    private static partial Regex WallClock();

    [GeneratedRegex(@"\bDocker\.DotNet\b")]
    private static partial Regex DockerName();

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Byot.Cli.Deploy;

/// <summary>Reads and checks byot.yaml; every error names the file, and YAML errors the line and column.</summary>
internal static partial class DeployFileReader
{
    private const int MaxLocations = 16;

    private static readonly string[] Severities = ["P0", "P1", "P2", "P3"];

    public static DeployFile Read(string path, Func<string, string?> environment)
    {
        if (!File.Exists(path))
        {
            throw CliException.BadInput($"{path} not found; write one (see `byot deploy --help`) or pass --file.");
        }

        DeployFile? file;
        var text = File.ReadAllText(path);
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            file = deserializer.Deserialize<DeployFile>(text);
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is { } inner && inner is not YamlException ? inner.Message : e.Message;
            if (e.InnerException is YamlException innerYaml && innerYaml.Message.Length > 0)
            {
                reason = innerYaml.Message;
            }

            throw CliException.BadInput($"{path}:{e.Start.Line}:{e.Start.Column}: {Clean(reason)}");
        }

        file ??= new DeployFile();
        var marks = TestMarks(text);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        for (var i = 0; i < file.Tests.Count; i++)
        {
            var test = file.Tests[i];
            var at = i < marks.Count ? $":{marks[i].Line}:{marks[i].Column}" : "";
            var where = $"{path}{at}: tests[{i}]{(test.Name is null ? "" : $" ({test.Name})")}";
            Require(test.Name, where, "name");
            Require(test.Path, where, "path");
            Require(test.Runtime, where, "runtime");
            if (!seen.Add(test.Name!))
            {
                throw CliException.BadInput($"{where}: the name '{test.Name}' is used twice; names identify tests.");
            }

            if (test.Severity is not null && !Severities.Contains(test.Severity, StringComparer.Ordinal))
            {
                throw CliException.BadInput($"{where}: severity '{test.Severity}' must be one of P0, P1, P2, P3.");
            }

            if (test.Isolation is not null and not ("gvisor" or "default"))
            {
                throw CliException.BadInput($"{where}: isolation '{test.Isolation}' must be gvisor or default (a test can ask for more isolation than its Runner's floor, never less).");
            }

            CheckLocations(test, where);
            // The server's limits (RetryPolicy), checked here so a bad file changes nothing.
            if (test.Retries is < 0 or > 5)
            {
                throw CliException.BadInput($"{where}: retries {test.Retries} must be from 0 to 5 (attempts after the first, each in a fresh container).");
            }

            if (test.RetryDelay is < 0 or > 300)
            {
                throw CliException.BadInput($"{where}: retryDelay {test.RetryDelay} must be from 0 to 300 seconds.");
            }

            if (test.RetryBackoff is not null and not ("fixed" or "linear" or "exponential"))
            {
                throw CliException.BadInput($"{where}: retryBackoff '{test.RetryBackoff}' must be fixed, linear or exponential.");
            }

            var full = System.IO.Path.GetFullPath(test.Path!, directory);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw CliException.BadInput($"{where}: path '{test.Path}' does not exist (resolved to {full}).");
            }

            foreach (var (name, variable) in test.Secrets ?? [])
            {
                if (string.IsNullOrEmpty(environment(variable)))
                {
                    throw CliException.BadInput($"{where}: secret {name} reads the environment variable {variable}, which is not set.");
                }
            }
        }

        var windowMarks = Marks(text, "maintenance");
        var windowNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Maintenance.Count; i++)
        {
            var window = file.Maintenance[i];
            var at = i < windowMarks.Count ? $":{windowMarks[i].Line}:{windowMarks[i].Column}" : "";
            WindowChecks.Check(window, $"{path}{at}: maintenance[{i}]{(window.Name is null ? "" : $" ({window.Name})")}", windowNames);
        }

        return file;
    }

    /// <summary>Where each entry of <c>tests</c> starts, so checks after parsing still point at a line and column.</summary>
    private static List<Mark> TestMarks(string text) => Marks(text, "tests");

    private static List<Mark> Marks(string text, string section)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count > 0
            && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode(section), out var tests)
            && tests is YamlSequenceNode sequence
            ? [.. sequence.Children.Select(c => c.Start)]
            : [];
    }

    /// <summary>The shape of location names, checked here so a typo stops the deploy before the first call; whether
    /// a location is known is the server's answer (a 400 naming the known ones).</summary>
    private static void CheckLocations(DeployTest test, string where)
    {
        if (test.Locations is { } locations)
        {
            if (locations.Count is 0 or > MaxLocations)
            {
                throw CliException.BadInput($"{where}: locations must list 1 to {MaxLocations} locations (leave the field out to keep the server's).");
            }

            foreach (var location in locations)
            {
                if (location is null || !LocationName().IsMatch(location) || location.Length > 24)
                {
                    throw CliException.BadInput($"{where}: location '{location}' is not a location name: lower case letters, digits and single dashes, a letter first, at most 24 characters (e.g. eu-west).");
                }
            }

            if (locations.Distinct(StringComparer.Ordinal).Count() != locations.Count)
            {
                throw CliException.BadInput($"{where}: locations lists a location twice.");
            }
        }

        if (test.FailingLocations is { } k)
        {
            var most = test.Locations?.Count ?? MaxLocations;
            if (k < 1 || k > most)
            {
                throw CliException.BadInput($"{where}: failingLocations {k} must be 1 to {most} (the number of locations the test runs from{(test.Locations is null ? ", at most 16" : "")}).");
            }
        }
    }

    public static string ResolvePath(string deployFile, DeployTest test) =>
        System.IO.Path.GetFullPath(test.Path!, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(deployFile))!);

    private static void Require(string? value, string where, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw CliException.BadInput($"{where}: '{field}' is required.");
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (…): "; the position is already in front.
        var dash = message.LastIndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && dash > 0 ? message[(dash + 3)..] : message;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex LocationName();
}

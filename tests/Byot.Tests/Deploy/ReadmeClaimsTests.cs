using System.Text.Json;
using System.Text.RegularExpressions;
using Byot.Functions.Middleware;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Problems;
using Byot.Shared.Uploads;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>What the README promises, checked against the code in the configuration-table style: every route it
/// names exists (and every route is named), the routes it says are open are exactly the anonymous ones, the run
/// statuses, the upload field table and the problem+json example as the API really writes it.</summary>
public sealed partial class ReadmeClaimsTests
{
    private static readonly string Readme = Repository.ReadText("README.md");

    [Fact]
    public void README_names_every_HTTP_route_and_only_routes_that_exist()
    {
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in RouteMention().Matches(Readme))
        {
            foreach (var method in m.Groups["methods"].Value.Split('/'))
            {
                documented.Add($"{method} {Normalize(m.Groups["path"].Value)}");
            }
        }

        var routes = new SortedSet<string>(HttpTriggers().Select(t => $"{t.Method} {Normalize("/" + t.Route)}"), StringComparer.Ordinal);
        Assert.Equal(routes, documented);
    }

    [Fact]
    public void README_says_exactly_which_routes_need_no_key()
    {
        var sentence = Assert.Single(Readme.Split('\n'), l => l.Contains("needs one", StringComparison.Ordinal));
        var open = CodeSpan().Matches(sentence).Select(m => m.Groups[1].Value).Where(v => v.StartsWith('/')).Order(StringComparer.Ordinal);

        // A route open for two methods (GET and POST /status) is named once.
        Assert.Equal(HttpTriggers().Where(t => t.AuthLevel == "Anonymous").Select(t => "/" + t.Route).Distinct().Order(StringComparer.Ordinal), open);
    }

    [Fact]
    public void README_lists_the_run_statuses_the_API_writes()
    {
        var line = Readme[Readme.IndexOf("Run statuses:", StringComparison.Ordinal)..];
        line = line[..line.IndexOf(". The log", StringComparison.Ordinal)];
        var documented = CodeSpan().Matches(line).Select(m => m.Groups[1].Value);

        Assert.Equal(Enum.GetValues<RunStatus>().Select(s => s.ToName()), documented);
    }

    [Fact]
    public void README_upload_field_table_has_exactly_the_fields_the_parser_reads()
    {
        var section = Readme[Readme.IndexOf("| Field | Required | Meaning |", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = section.Split('\n').Skip(2).Select(row => CodeSpan().Match(row).Groups[1].Value);

        Assert.Equal(UploadFields.All.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void README_problem_example_is_what_the_API_writes()
    {
        var refusal = Assert.Throws<InvalidRequestException>(() =>
            new UploadFieldParser(new UploadOptions(), new SchedulingOptions()).Parse(new Dictionary<string, string> { ["runtime"] = "cobol" }));
        var written = ProblemResults.From(refusal, null).Content!;

        Assert.Contains("`" + written + "`", Readme, StringComparison.Ordinal);
        Assert.Equal("'cobol' is not", JsonDocument.Parse(written).RootElement.GetProperty("detail").GetString()![..14]);
    }

    private static string Normalize(string path) => Placeholder().Replace(path.TrimEnd('/'), "{}");

    private static IEnumerable<(string Route, string Method, string AuthLevel)> HttpTriggers() =>
        JsonDocument.Parse(File.ReadAllText(Repository.Path("Byot.Functions", "bin", Configuration(), "net10.0", "functions.metadata"))).RootElement
            .EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m =>
                (b.GetProperty("route").GetString()!, m.GetString()!.ToUpperInvariant(), b.GetProperty("authLevel").GetString()!)));

    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    // `GET /tests/{id}`, `GET/PATCH /tests/{id}/alerts`, `POST /run/{id}?follow=true`: a method, a path, up to a query.
    [GeneratedRegex(@"`(?<methods>(?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (?<path>/[^`?\s]*)")]
    private static partial Regex RouteMention();

    [GeneratedRegex(@"\{[^}]*\}|<[^>]*>")]
    private static partial Regex Placeholder();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
